"""A list whose ``in`` is a set lookup."""


class MemberList(list):
    """The same list (items, order, equality, slicing, iteration), with ``item in it`` answered
    from a set of the items' ids, built at the first test and dropped by every change of the
    list's contents. An item whose class defines its own ``==`` and is not itself in the list is
    looked for as ``list`` does (Pelican's content objects compare by identity)."""

    __slots__ = ("_ids",)

    def __init__(self, items=()):
        super().__init__(items)
        self._ids = None

    def __contains__(self, item):
        ids = self._ids
        if ids is None:
            ids = self._ids = {id(member) for member in self}
        if id(item) in ids:
            return True
        if type(item).__eq__ is object.__eq__:
            return False
        return list.__contains__(self, item)

    def __reduce__(self):
        # Never carry the ids over (a copy or another process has other objects).
        return (type(self), (list(self),))

    def _changed(name):  # noqa: N805 - builds the mutating methods below
        method = getattr(list, name)

        def changed(self, *args):
            self._ids = None
            return method(self, *args)

        changed.__name__ = changed.__qualname__ = name
        return changed

    for _name in ("append", "extend", "insert", "remove", "pop", "clear", "__setitem__", "__delitem__",
                  "__iadd__", "__imul__"):
        locals()[_name] = _changed(_name)
    del _name, _changed
