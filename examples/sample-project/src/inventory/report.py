from inventory.models import load_items, restock_plan


def print_report(path):
    items = load_items(path)
    plan = restock_plan(items, 5, "winter", supplier=True)
    if plan == None:
        return
    for item in plan:
        print(f"reorder {item.name}")
