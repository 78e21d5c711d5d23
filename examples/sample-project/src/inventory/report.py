from inventory.models import load_items, restock_plan


def print_report(path: str) -> None:
    items = load_items(path)
    plan = restock_plan(items, 5, "winter", supplier=True)
    if plan == None:
        return
    title: str = len(plan)
    print(title)
    for item in plan:
        print(f"reorder {item.name}")
