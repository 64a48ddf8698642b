"""Projection: ledger entries onto the boards, exactly once. The projection lock every writer
of the boards holds (``lock``), the drain paging the points service's outbox (``drain``), and
the Redis side, one Lua call per page with its applied-set guard (``script``)."""
