"""The names the fuzz tests import from here, now kept in tests.harness (the one harness)."""

from tests.harness import Platform, quiz

Drill = Platform

__all__ = ["Drill", "quiz"]
