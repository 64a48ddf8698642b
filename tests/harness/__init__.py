"""One harness for the end-to-end tests, the fault drills, the fuzzer and the bench: one way to
start the platform on free ports (``Platform``, ``launched``), one HTTP client (``Client``),
one ``wait_until(condition)`` that fails with what it last saw, and one models-versus-migrations
check (``schema_drift``) for every part that owns SQL data.

The bench imports it too (``python -m bench`` runs from the repository root).
"""

from tests.harness.client import Client, Reply
from tests.harness.events import quiz
from tests.harness.platform import UNREACHED_RATE_LIMITS, Platform, launched
from tests.harness.schema import schema_drift
from tests.harness.waiting import wait_until

__all__ = [
    "UNREACHED_RATE_LIMITS",
    "Client",
    "Platform",
    "Reply",
    "launched",
    "quiz",
    "schema_drift",
    "wait_until",
]
