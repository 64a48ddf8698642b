"""Many events through the engine from an empty state: what-if previews and re-scoring.

Events are scored in the order given (callers pass them by ``occurred_at``, then arrival), each
member with a state of their own that starts empty at the start of the replayed period. A caller
that passes ``states`` gets every member's state as the replay left it (re-scoring installs it
as the live state: see ``resync``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from services.rules.engine import score
from services.rules.model import Entry, Fact, State

# The (document, version) that prices a fact: one fixed draft, or the version in force then.
Resolver = Callable[[Fact], tuple[dict[str, Any], int]]


def replay(
    events: Iterable[tuple[str, Fact]],
    resolve: Resolver,
    states: dict[str, State] | None = None,
) -> list[list[Entry]]:
    """Score ``(member, fact)`` pairs in order; the entries of each, in the same order."""
    states = {} if states is None else states
    results = []
    for member, fact in events:
        document, version = resolve(fact)
        state = states.setdefault(member, State())
        results.append(score(fact, document, version, state))
    return results
