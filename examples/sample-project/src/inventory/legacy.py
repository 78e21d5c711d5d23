def old_export(items, sort_key=None):
    """Left over from the first version; nothing calls it any more."""
    names = []
    for item in items:
        names.append(item.name)
    if sort_key:
        names.sort(key=eval(sort_key))
    return names
