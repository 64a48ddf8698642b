"""The rule engine: what an event earns once caps, streaks, multipliers, penalty floors,
once-per-thing policies and badges have had their say. Pure: plain values in, plain values out.

Both services use it: the rewards service to preview a draft over past events, the points
service to price each event at intake (with state it reads from SQL in the same transaction)
and to re-score history. See docs/rules.md for the document format.

- ``model``: the facts in, the entries out, the per-member state.
- ``engine``: one event through every stage, in the documented order.
- ``attempts``, ``caps``, ``floors``, ``multipliers``, ``streaks``, ``badges``: one stage each.
- ``levels``: a member's level from lifetime points.
- ``replay``: many events from an empty state (preview, re-score).
- ``remaining``: what a member can still earn today under the caps (catch-up).
"""

from services.common.rules.engine import needed_keys, score, validate_event
from services.common.rules.levels import level_for
from services.common.rules.model import Entry, Fact, State
from services.common.rules.remaining import Remaining, remaining_today, usage_keys
from services.common.rules.replay import replay

__all__ = [
    "Entry",
    "Fact",
    "Remaining",
    "State",
    "level_for",
    "needed_keys",
    "remaining_today",
    "replay",
    "score",
    "usage_keys",
    "validate_event",
]
