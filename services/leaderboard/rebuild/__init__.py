"""Rebuild and verify: boards built aside from the ledger and swapped in at once
(``builder``), how every board follows from the finest ones (``derivation``), what to rebuild
(``build``), and comparing built boards with live ones, with repair (``verification``)."""
