"""Closed periods: final standings archived into SQL and short-period keys expired
(``closing``), and reading that archive (``reads``)."""
