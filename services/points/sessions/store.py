"""Scheduling study sessions: create (one, or a weekly series), read, change before the start,
cancel. Functions take a database session; who may do what is checked here against the tree
(``unit_access``), as for members and units. Custom groups arrive already fetched from the
leaderboard (``groups.fetch``, called by the view before its transaction) and are stored as
their members, tagged with the group (services/points/groups.py says why)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, Forbidden, NotFound, Unprocessable
from services.contracts import ADMIN
from services.points import groups, org
from services.points.api.unit_access import reach
from services.points.models import Member, Unit
from services.points.sessions import expected, timing
from services.points.sessions.models import (
    ExpectedAttendee,
    SessionSeries,
    StudySession,
    parse_id,
)
from services.points.sessions.views import session_views

DETAILS = ("title", "place", "link", "lecturer")


def _invalid(errors: dict[str, Any]) -> Unprocessable:
    return Unprocessable(errors={"json": errors})


def get(session: Session, text: str, *, lock: bool = False) -> StudySession:
    """The session with public id ``text`` (404 otherwise); ``lock`` holds its row until the
    transaction ends, so that sign-ins, closing and corrections of one session take turns."""
    number = parse_id(text)
    query = select(StudySession).where(StudySession.id == (number or 0))
    study = session.scalar(query.with_for_update() if lock else query)
    if study is None:
        raise NotFound(f"No study session {text!r}.")
    return study


class Audience(NamedTuple):
    """Whom a session names: unit ids, member ids named directly, and per custom group the
    member ids it brought (services/points/groups.py)."""

    units: list[int]
    members: list[int]
    groups: dict[str, list[int]]

    def everyone(self) -> list[int]:
        return self.members + [m for ids in self.groups.values() for m in ids]


def resolve_expected(
    session: Session, expected: dict[str, Any], fetched: dict[str, list[str]]
) -> Audience:
    """Unit and member ids for the codes and staff numbers named (422 naming unknown ones), and
    the members of the groups ``fetched`` from the leaderboard (``groups.fetch``), after checking
    that a person administers each of them (403 otherwise)."""
    codes, staff_nos = sorted(set(expected["units"])), sorted(set(expected["members"]))
    found_units = session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes)))
    units: dict[str, int] = {row.code: row.id for row in found_units}
    found = session.execute(
        select(Member.staff_no, Member.id, Member.active).where(Member.staff_no.in_(staff_nos))
    ).all()
    members = {row.staff_no: row.id for row in found if row.active}
    errors: dict[str, list[str]] = {}
    if missing := [c for c in codes if c not in units]:
        errors["units"] = [f"Unknown unit(s): {', '.join(missing)}."]
    if missing := [s for s in staff_nos if s not in members]:
        errors["members"] = [f"Unknown or inactive member(s): {', '.join(missing)}."]
    if errors:
        raise _invalid({"expected": errors})
    grouped = groups.members(session, fetched, ("expected", "groups"))
    named = Audience(
        list(units.values()),
        list(members.values()),
        {code: sorted(m for m, _ in found.values()) for code, found in grouped.items()},
    )
    may_manage(session, named.units, named.everyone())
    return named


def may_manage(session: Session, unit_ids: list[int], member_ids: list[int]) -> None:
    """403 unless the person administers every unit and member a session names (a system's
    key has passed the gateway's admin scope check)."""
    person = reach()
    if person is None:
        return
    tree = org.unit_codes(session)
    places = list(unit_ids) + list(
        session.scalars(select(Member.unit_id).where(Member.id.in_(member_ids)))
    )
    for unit_id in places:
        if not person.covers(org.unit_path(tree, unit_id), ADMIN):
            raise Forbidden(
                f"Unit {tree[unit_id][0]!r} is outside the units you administer; "
                "a session may name only units and members inside them."
            )


def _times(body: dict[str, Any], zone_name: str) -> tuple[datetime, datetime]:
    starts = timing.to_utc(body["starts_at"], zone_name)
    ends = timing.to_utc(body["ends_at"], zone_name)
    if ends <= starts:
        raise _invalid({"ends_at": ["Must be after starts_at."]})
    if ends - starts > timedelta(days=1):
        raise _invalid({"ends_at": ["A session lasts at most a day."]})
    return starts, ends


def _add(
    session: Session,
    body: dict[str, Any],
    times: tuple[datetime, datetime],
    targets: Audience,
    grace: int,
    actor: str,
    series_id: int | None = None,
) -> StudySession:
    study = StudySession(
        **{name: body[name] for name in DETAILS},
        starts_at=times[0],
        ends_at=times[1],
        grace_minutes=grace if body["grace_minutes"] is None else body["grace_minutes"],
        series_id=series_id,
        created_by=actor[:100],
    )
    session.add(study)
    session.flush()
    _set_targets(session, study.id, targets)
    return study


def _set_targets(session: Session, study_id: int, targets: Audience) -> None:
    session.execute(delete(ExpectedAttendee).where(ExpectedAttendee.session_id == study_id))
    rows = [ExpectedAttendee(session_id=study_id, unit_id=u) for u in targets.units]
    rows += [ExpectedAttendee(session_id=study_id, member_id=m) for m in targets.members]
    rows += [
        ExpectedAttendee(session_id=study_id, member_id=m, group_code=code)
        for code, ids in targets.groups.items()
        for m in ids
    ]
    session.add_all(rows)
    session.flush()


def create(
    session: Session,
    body: dict[str, Any],
    fetched: dict[str, list[str]],
    zone_name: str,
    grace: int,
    actor: str,
) -> dict[str, Any]:
    targets = resolve_expected(session, body["expected"], fetched)
    study = _add(session, body, _times(body, zone_name), targets, grace, actor)
    return session_views(session, [study])[0]


def create_series(
    session: Session,
    body: dict[str, Any],
    fetched: dict[str, list[str]],
    zone_name: str,
    grace: int,
    actor: str,
) -> dict[str, Any]:
    dates = timing.weekly(
        body["weekday"], body["time"], body["first"], body["until"], body["count"]
    )
    if not dates:
        raise _invalid({"until": ["No such weekday between 'from' and until."]})
    if len(dates) > timing.MAX_SERIES:
        raise _invalid({"until": [f"A series holds at most {timing.MAX_SERIES} sessions."]})
    targets = resolve_expected(session, body["expected"], fetched)
    rule = {k: str(body[k]) for k in ("weekday", "time", "duration_minutes", "first")}
    rule |= {"until": body["until"] and str(body["until"]), "count": body["count"]}
    series = SessionSeries(title=body["title"], rule=rule, created_by=actor[:100])
    session.add(series)
    session.flush()
    length = timedelta(minutes=body["duration_minutes"])
    made = []
    for day in dates:
        starts = timing.local_start(day, body["time"], zone_name)
        made.append(
            _add(session, body, (starts, starts + length), targets, grace, actor, series.id)
        )
    return {"series": series.id, "items": session_views(session, made)}


def update(
    session: Session,
    text: str,
    changes: dict[str, Any],
    fetched: dict[str, list[str]],
    zone_name: str,
    now: datetime,
) -> dict[str, Any]:
    study = get(session, text, lock=True)
    may_manage(session, *expected.targets(session, study.id))
    if study.cancelled_at is not None or study.starts_at <= now:
        raise Conflict(f"Session {text} has started or was cancelled; it can no longer change.")
    if "expected" in changes:
        named = resolve_expected(session, changes["expected"], fetched)
        _set_targets(session, study.id, named)
    for name in (*DETAILS, "grace_minutes"):
        if name in changes:
            setattr(study, name, changes[name])
    if "starts_at" in changes or "ends_at" in changes:
        times = {"starts_at": study.starts_at, "ends_at": study.ends_at} | changes
        study.starts_at, study.ends_at = _times(times, zone_name)
    session.flush()
    return session_views(session, [study])[0]


def cancel(session: Session, text: str, now: datetime) -> dict[str, Any]:
    """Cancel a session that is not closed (cancelling twice is harmless). Sign-ins already
    recorded stay in the ledger, which is never edited; no absences are ever recorded."""
    study = get(session, text, lock=True)
    may_manage(session, *expected.targets(session, study.id))
    if study.closed_at is not None:
        raise Conflict(f"Session {text} is closed; a closed session is not cancelled.")
    if study.cancelled_at is None:
        study.cancelled_at = now
        session.flush()
    return session_views(session, [study])[0]


def page(session: Session, query: dict[str, Any], zone_name: str) -> dict[str, Any]:
    chosen = select(StudySession)
    if query["starts_from"] is not None:
        chosen = chosen.where(
            StudySession.starts_at >= timing.to_utc(query["starts_from"], zone_name)
        )
    if query["starts_to"] is not None:
        chosen = chosen.where(StudySession.starts_at < timing.to_utc(query["starts_to"], zone_name))
    if query["series"] is not None:
        chosen = chosen.where(StudySession.series_id == query["series"])
    state = query["state"]
    if state == "cancelled":
        chosen = chosen.where(StudySession.cancelled_at.is_not(None))
    elif state == "closed":
        chosen = chosen.where(StudySession.closed_at.is_not(None))
    elif state == "scheduled":
        chosen = chosen.where(StudySession.cancelled_at.is_(None), StudySession.closed_at.is_(None))
    total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    ordered = chosen.order_by(StudySession.starts_at, StudySession.id)
    rows = list(session.scalars(ordered.limit(query["limit"]).offset(query["offset"])))
    return {"total": total, "items": session_views(session, rows)}
