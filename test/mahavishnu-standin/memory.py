"""What pool_search_memory finds: records from the JSON file MAHAVISHNU_STANDIN_MEMORY names, as Session-Buddy
would hold them (the stand-in has no Session-Buddy, so without the file there are none)."""

import json
import os
from typing import Any


def search_memory(query: str, limit: int) -> list[Any]:
    path = os.environ.get("MAHAVISHNU_STANDIN_MEMORY")
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as file:
        records = json.load(file)
    needle = query.lower()
    return [record for record in records if needle in json.dumps(record).lower()][:limit]
