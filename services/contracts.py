"""What the services agree on, in one place that both sides of each agreement import.

A service never imports another service's modules (they talk over HTTP and through queues), so
every name that crosses a service boundary is written here once instead of typed on each side:

- the headers the gateway sets for the services behind it, and the internal signature;
- queue names and the dotted names of the jobs one service enqueues for another;
- the Redis keys one service writes and another reads (the projection's pending flag);
- the shape of "what a member can still earn today", which the points service answers and the
  leaderboard's catch-up passes on.

``services.common`` stays infrastructure that knows no service; this module is where service
names are allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from marshmallow import Schema, fields
from redis import Redis

from services.common.config import Settings
from services.common.queues import enqueue
from services.common.signing import Signer
from services.common.web import REQUEST_ID

# Headers the gateway sets on every request it forwards (docs/architecture.md, "Gateway").
SENDER_HEADER = "X-Sender"  # the API key's name: who sent an event, who changed a rule
SCOPES_HEADER = "X-Scopes"  # the key's scopes, space-separated
VIEWER_HEADER = "X-Viewer"  # the member looking at a board (keeps their own name under ranks_only)
# A signed-in person's roles, "staff reviewer@north admin": a role with "@<unit>" covers that
# unit and every unit below it, one without covers the organisation. Absent for API keys.
ROLES_HEADER = "X-Roles"
STAFF, REVIEWER, ADMIN = "staff", "reviewer", "admin"  # a person's roles
# A key's limits, space separated, set only for a key that has them (absent: any). The points
# service's intake refuses events of other types, or for members outside these units' subtrees.
KEY_EVENT_TYPES_HEADER = "X-Key-Event-Types"
KEY_UNITS_HEADER = "X-Key-Units"

# The internal hop's signature (services.common.signing): the gateway signs every request it
# forwards, and a service every request to another; services refuse anything unsigned. The
# signature covers the method, path, query, a timestamp and these headers, so none of them
# can be forged or changed by whoever reaches a service directly. A header that says who is
# calling, or for whom, belongs in this tuple.
SIGNATURE_HEADER = "X-Internal-Signature"
SIGNED_HEADERS = (
    SENDER_HEADER,
    SCOPES_HEADER,
    VIEWER_HEADER,
    ROLES_HEADER,
    REQUEST_ID,
    KEY_EVENT_TYPES_HEADER,
    KEY_UNITS_HEADER,
)


def internal_signer(settings: Settings) -> Signer:
    """The signer of the internal hop with the platform's secret (INTERNAL_SECRET or the file
    under VAR_DIR)."""
    return Signer(settings.internal_key(), SIGNATURE_HEADER, SIGNED_HEADERS)


@dataclass(frozen=True)
class Reach:
    """Where a person's roles reach, as ROLES_HEADER says: role -> the units it covers, each
    with everything below it (None: the whole organisation)."""

    units: Mapping[str, frozenset[str] | None]

    @staticmethod
    def text(held: Iterable[tuple[str, str]]) -> str:
        """The header's value for (role, unit) pairs, unit "" for the whole organisation."""
        return " ".join(sorted({f"{role}@{unit}" if unit else role for role, unit in held}))

    @classmethod
    def of(cls, text: str) -> Reach:
        units: dict[str, set[str] | None] = {}
        for word in text.split():
            role, _, unit = word.partition("@")
            if not unit:
                units[role] = None  # the whole organisation: no unit narrows it again
                continue
            held = units.setdefault(role, set())
            if held is not None:
                held.add(unit)
        return cls({role: None if u is None else frozenset(u) for role, u in units.items()})

    def covers(self, path: Iterable[str], *roles: str) -> bool:
        """Whether one of ``roles`` reaches a unit with this path (codes from the top down)."""
        codes = set(path)
        for role in roles:
            if role in self.units:
                units = self.units[role]
                if units is None or units & codes:
                    return True
        return False


# Queues, named by purpose.
PROJECTION = "projection"  # ledger entries into leaderboards; must stay short and fast
DEFAULT = "default"  # everything else (rebuilds, exports, webhooks)
QUEUES = (PROJECTION, DEFAULT)

# Leaderboard jobs that other parts enqueue by dotted name (services.leaderboard.jobs).
DRAIN_JOB = "services.leaderboard.jobs.drain_projection"
SYNC_MEMBER_JOB = "services.leaderboard.jobs.sync_member"
CLOSE_PERIODS_JOB = "services.leaderboard.jobs.close_periods"
REBUILD_JOB = "services.leaderboard.jobs.rebuild"
VERIFY_JOB = "services.leaderboard.jobs.verify"
# The points service's job that closes the study sessions due (services.points.sessions.jobs),
# asked for by the ticker; the flag holds back a second request while one waits.
CLOSE_SESSIONS_JOB = "services.points.sessions.jobs.close_due"
CLOSE_SESSIONS_PENDING = "points:sessions:close:pending"
# The points service's periodic work, asked for by the ticker (services/leaderboard/ticker.py).
ESCALATE_REPORTS_JOB = "services.points.reports.escalation.escalate_overdue"
ESCALATION_PENDING = "points:reports:escalation:pending"  # cleared by the job as it starts
# The points service's sweep of outbound deliveries due (services.points.delivery.sweep), asked
# for after a commit that recorded some and by the ticker every DELIVERY_INTERVAL seconds.
DELIVERY_JOB = "services.points.delivery.sweep.sweep"
DELIVERY_PENDING = "points:delivery:pending"  # cleared by the sweep as it starts

# Set by whoever asks for a drain (the points service after a commit, the ticker), cleared by
# the drain as it starts.
PROJECTION_PENDING = "lb:projection:pending"
# How long the flag holds new requests back. A drain whose worker died before it cleared the
# flag (it first waits to gather a burst) stalls projection this long at most, until the next
# request or the ticker enqueues another; a queued drain that outlives the flag only costs a
# duplicate drain, which finds little to do.
PENDING_SECONDS = 10


def request_projection(connection: Redis) -> bool:
    """Ask for a drain of the projection outbox, unless one is already waiting.

    The drain clears the flag *before* it reads the outbox, so anything committed before this
    call is either read by a drain that is waiting now or triggers a new one. The flag expires
    (``PENDING_SECONDS``) so that a lost job never blocks projection for long (the ticker also
    asks for drains).
    Returns True when a job was enqueued.
    """
    if not connection.set(PROJECTION_PENDING, "1", nx=True, ex=PENDING_SECONDS):
        return False
    enqueue(connection, DRAIN_JOB, queue_name=PROJECTION, timeout=600, retries=5)
    return True


def request_delivery(connection: Redis, hold_seconds: int = PENDING_SECONDS) -> bool:
    """Ask for a sweep of the deliveries due, unless one is already waiting (the sweep clears
    the flag before it reads, as the drain does). Returns True when a job was enqueued."""
    if not connection.set(DELIVERY_PENDING, "1", nx=True, ex=hold_seconds):
        return False
    enqueue(connection, DELIVERY_JOB, queue_name=DEFAULT, timeout=600, retries=0)
    return True


# What a member can still earn today under the caps: the points service answers it
# (``GET /internal/v1/members/<staff_no>/remaining-today``) and the leaderboard's catch-up
# passes it on (as the plain JSON it received: the fields work on objects and dicts alike).
# ``null`` for ``remaining`` means no cap applies: no limit today.
UNCAPPED = "null when no cap applies (no limit today)."


class CapUseSchema(Schema):
    scope = fields.String(metadata={"example": "category:study"})
    per = fields.String(metadata={"example": "day"})
    limit = fields.Integer()
    used = fields.Integer()
    remaining = fields.Integer(metadata={"description": "limit - used; never negative."})


class TypeRoomSchema(Schema):
    category = fields.String()
    remaining = fields.Integer(
        allow_none=True,
        metadata={"description": f"Room under the tightest cap on the type; {UNCAPPED}"},
    )
    best_award = fields.Integer(
        metadata={
            "description": "The most one more event can earn today (top award for a new thing, "
            "today's campaigns applied), bounded by remaining; 0 when the type only penalises."
        }
    )
    cap = fields.Nested(CapUseSchema, allow_none=True, metadata={"description": "The tightest."})


class CategoryRoomSchema(Schema):
    remaining = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Room under the category's caps, and under the sum of its types' own "
            f"caps when every type that can award has one; {UNCAPPED}"
        },
    )
    cap = fields.Nested(CapUseSchema, allow_none=True, metadata={"description": "Its own."})


class RemainingTodaySchema(Schema):
    member = fields.String()
    day = fields.String(
        metadata={"format": "date", "description": "Today in the organisation's time zone."}
    )
    rule_version = fields.Integer()
    event_types = fields.Dict(keys=fields.String(), values=fields.Nested(TypeRoomSchema))
    categories = fields.Dict(keys=fields.String(), values=fields.Nested(CategoryRoomSchema))


# A custom group's members, for a study session or a quiz that names it: the leaderboard keeps
# the groups and answers (``GET /internal/v1/groups?codes=a,b``: comma-separated codes, at most
# ``GROUPS_PER_REQUEST``); the points service expands each group into named members at the
# moment it records the audience (docs/architecture.md, "Study sessions").
GROUPS_PATH = "/internal/v1/groups"
GROUPS_PER_REQUEST = 50


class GroupMembersSchema(Schema):
    code = fields.String()
    name = fields.String()
    members = fields.List(fields.String(), metadata={"description": "Staff numbers, sorted."})


class GroupsFoundSchema(Schema):
    items = fields.List(fields.Nested(GroupMembersSchema))
    not_found = fields.List(fields.String(), metadata={"description": "Codes of no group."})
