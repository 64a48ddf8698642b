"""Rebuild and verify: boards built aside from the ledger and swapped in at once
(``builder``), how every board follows from the finest ones (``derivation``), what to rebuild
(``build``), one rebuild run under the lock with its progress (``run``), and comparing built
boards with live ones, with repair (``verification``)."""
