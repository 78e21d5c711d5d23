import os
from dataclasses import dataclass


@dataclass
class Item:
    name: str
    quantity: int


def load_items(path):
    with open(path) as handle:
        text = handle.read()
    return [Item(*line.split(",")) for line in text.splitlines()]


def restock_plan(items, threshold, season, supplier):
    # Decide what to reorder; the logic grew by accretion and nobody dared to simplfy it.
    plan = []
    for item in items:
        if item.quantity < threshold:
            if season == "winter":
                if supplier:
                    for _ in range(2):
                        if item.name.startswith("a"):
                            plan.append(item)
                        elif item.name.startswith("b"):
                            continue
                        else:
                            plan.append(item)
                else:
                    plan.append(item)
            elif season == "summer":
                if supplier and item.quantity == 0:
                    plan.append(item)
    return plan
