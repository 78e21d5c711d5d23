"""Which of jackpool's files skylos itself would analyse when run on the project directory, by skylos's own rules.

Run with the Python skylos runs in, in the directory skylos runs in. skylos applies its folder excludes (its
defaults, such as build, dist, venv and vendor, and `exclude` in `[tool.skylos]`) only when it walks a directory,
not to files named on its command line. Reads JSON on stdin: {"files": jackpool's candidate files,
project-relative}. Prints one JSON line: {"files": [...]}, the candidates skylos keeps, or {"error": "..."} when it
cannot tell (jackpool then passes every candidate).
"""

import json
import sys
from pathlib import Path


def main() -> None:
    files = list(json.load(sys.stdin)["files"])
    try:
        from skylos.config import load_config  # noqa: PLC0415 (a missing or changed skylos is an answer, below)
        from skylos.constants import parse_exclude_folders  # noqa: PLC0415
        from skylos.core.file_discovery import should_exclude_path  # noqa: PLC0415

        root = Path.cwd().resolve()
        excludes = parse_exclude_folders(config_exclude_folders=load_config(root).get("exclude"), use_defaults=True)
        kept = [file for file in files if not should_exclude_path((root / file).resolve(), root, sorted(excludes))]
    except Exception as error:  # skylos changed its insides: every candidate, as before
        print(json.dumps({"error": f"{type(error).__name__}: {error}"[:500]}))
        return
    print(json.dumps({"files": kept}))


if __name__ == "__main__":
    main()
