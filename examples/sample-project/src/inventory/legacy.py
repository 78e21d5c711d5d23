def old_export(items):
    """Left over from the first version; nothing calls it any more."""
    names = []
    for item in items:
        names.append(item.name)
    return names
