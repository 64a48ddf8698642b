"""The rule engine and pricing: what an event earns under a rule set, once caps, streaks,
multipliers, penalty floors, once-per-thing policies and badges have had their say. Pure domain
code: plain values in, plain values out; no Flask, SQL or Redis.

Why it is a package of its own, shared by two services: the rewards service runs it to
validate drafts and preview them over past events (what-if), and the points service runs it to
price each event at intake (with state it reads from SQL in the same transaction) and to
re-score history. Both must compute exactly the same points, so there is one copy, and it
belongs to neither service. See docs/rules.md for the document format.

- ``pricing``: base points of one event under a rule set's ``event_types``.
- ``model``: the facts in, the entries out, the per-member state.
- ``engine``: one event through every stage, in the documented order.
- ``attempts``, ``caps``, ``floors``, ``multipliers``, ``streaks``, ``badges``: one stage each.
- ``levels``: a member's level from lifetime points.
- ``replay``: many events from an empty state (preview, re-score).

What only the points service does with the rules (its cached copy of the published set, state
in SQL, what can still be earned today, re-scoring) lives in ``services.points.rules``.
"""

from services.rules.engine import needed_keys, score, validate_event
from services.rules.levels import level_for
from services.rules.model import Entry, Fact, State
from services.rules.replay import replay

__all__ = [
    "Entry",
    "Fact",
    "State",
    "level_for",
    "needed_keys",
    "replay",
    "score",
    "validate_event",
]
