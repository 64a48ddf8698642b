"""Projection: ledger entries onto the boards, exactly once (``script``: the Redis side,
one Lua call per page with its applied-set guard)."""
