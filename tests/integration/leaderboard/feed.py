"""The feed and the ledgers made to try it, kept in tests/entries.py (the unit tier uses them
too); the names are here for the tests that import them from here."""

from tests.entries import entries_strategy, feed_pages

__all__ = ["entries_strategy", "feed_pages"]
