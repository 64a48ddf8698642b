"""Quizzes kept: create, change before they open, cancel, and their views.

Who may do it is ``access``'s to say; this module keeps the quiz itself coherent: a window that
closes after it opens (at most a year long), a pass mark within the maximum, at least one unit,
group or member (a group stored as the members it has when named: services/points/groups.py),
and no change once the quiz has opened or was cancelled."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.common.calendar import zone
from services.common.errors import Conflict, NotFound, Unprocessable
from services.points import groups
from services.points.models import Member, Unit
from services.points.quizzes import audience
from services.points.quizzes.models import Quiz, QuizGroupMember, QuizMember, QuizUnit

LONGEST = timedelta(days=366)  # keeps a quiz's figures a bounded scan of its window's events


def invalid(field: str, message: str) -> Unprocessable:
    return Unprocessable(errors={"json": {field: [message]}})


def aware(value: datetime, zone_name: str, field: str = "opens_at") -> datetime:
    """A window time in UTC: a value without an offset is the organisation's local time."""
    if not 2000 <= value.year <= 2100:  # also keeps the conversion from overflowing
        raise invalid(field, "Must be in the years 2000 to 2100.")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(zone_name))
    return value.astimezone(UTC)


def window_text(quiz: Quiz, zone_name: str) -> str:
    here = zone(zone_name)
    opens, closes = quiz.opens_at.astimezone(here), quiz.closes_at.astimezone(here)
    return f"{opens:%Y-%m-%d %H:%M} to {closes:%Y-%m-%d %H:%M} ({zone_name})"


def state(quiz: Quiz, now: datetime) -> str:
    if quiz.cancelled_at is not None:
        return "cancelled"
    if now < quiz.opens_at:
        return "upcoming"
    return "open" if now < quiz.closes_at else "closed"


def by_code(session: Session, code: str) -> Quiz:
    quiz = session.scalar(select(Quiz).where(Quiz.code == code))
    if quiz is None:
        raise NotFound(f"No quiz {code!r}.")
    return quiz


Named = dict[str, tuple[int, int]]  # staff number -> (member id, unit id)


@dataclass
class Targets:
    """Whom a request names: unit ids, named members, and per custom group the members it
    brought (services/points/groups.py); None: unchanged."""

    units: list[int] | None
    members: Named | None
    groups: dict[str, Named] | None = None

    def unit_set(self) -> set[int]:
        return set(self.units or ())

    def member_units(self) -> dict[str, int]:
        everyone = [self.members or {}, *(self.groups or {}).values()]
        return {staff_no: unit for named in everyone for staff_no, (_, unit) in named.items()}


def targets(
    session: Session, changes: dict[str, Any], fetched: dict[str, list[str]] | None = None
) -> Targets:
    """The units, members and groups a body names, each known (422 naming the unknown ones);
    ``fetched``: the groups' members from the leaderboard (``groups.fetch``)."""
    units = unit_ids(session, changes["units"]) if "units" in changes else None
    members = members_of(session, changes["members"]) if "members" in changes else None
    found = None
    if "groups" in changes:
        found = groups.members(session, fetched or {}, ("groups",))
    return Targets(units, members, found)


def current_targets(session: Session, quiz: Quiz) -> Targets:
    units = list(session.scalars(select(QuizUnit.unit_id).where(QuizUnit.quiz_id == quiz.id)))
    rows = session.execute(
        select(Member.staff_no, Member.id, Member.unit_id)
        .join(QuizMember, QuizMember.member_id == Member.id)
        .where(QuizMember.quiz_id == quiz.id)
    )
    brought: dict[str, Named] = {}
    for row in session.execute(
        select(QuizGroupMember.group_code, Member.staff_no, Member.id, Member.unit_id)
        .join(Member, QuizGroupMember.member_id == Member.id)
        .where(QuizGroupMember.quiz_id == quiz.id)
    ):
        brought.setdefault(row.group_code, {})[row.staff_no] = (row.id, row.unit_id)
    return Targets(units, {row.staff_no: (row.id, row.unit_id) for row in rows}, brought)


def create(
    session: Session, body: dict[str, Any], named: Targets, actor: str, zone_name: str
) -> Quiz:
    if session.scalar(select(Quiz.id).where(Quiz.code == body["id"])) is not None:
        raise Conflict(f"Quiz {body['id']!r} already exists.")
    quiz = Quiz(code=body["id"], created_by=actor, pop=body["pop"])
    _apply(session, quiz, body, named, zone_name)
    return quiz


def update(
    session: Session,
    quiz: Quiz,
    changes: dict[str, Any],
    named: Targets,
    now: datetime,
    zone_name: str,
) -> Quiz:
    if (now_state := state(quiz, now)) != "upcoming":
        raise Conflict(f"Quiz {quiz.code!r} is {now_state}: only a quiz not yet open changes.")
    _apply(session, quiz, changes, named, zone_name)
    return quiz


def cancel(quiz: Quiz, actor: str, now: datetime) -> Quiz:
    """Scores are refused from now on; points already awarded stay (an adjustment undoes them)."""
    if quiz.cancelled_at is None:  # cancelling twice changes nothing
        quiz.cancelled_at, quiz.cancelled_by = now, actor
    return quiz


def _apply(
    session: Session, quiz: Quiz, changes: dict[str, Any], named: Targets, zone_name: str
) -> None:
    for name in ("title", "max_score", "pass_mark", "pop"):
        if name in changes:
            setattr(quiz, name, changes[name])
    for name in ("opens_at", "closes_at"):
        if name in changes:
            setattr(quiz, name, aware(changes[name], zone_name, name))
    if quiz.closes_at <= quiz.opens_at:
        raise invalid("closes_at", "Must be after opens_at.")
    if quiz.closes_at - quiz.opens_at > LONGEST:
        raise invalid("closes_at", "A quiz's window is at most 366 days.")
    if quiz.pass_mark > quiz.max_score:
        raise invalid("pass_mark", f"Must not exceed max_score ({quiz.max_score:g}).")
    session.add(quiz)
    session.flush()
    if named.units is not None:
        _replace(session, QuizUnit, quiz.id, "unit_id", named.units)
    if named.members is not None:
        ids = [member_id for member_id, _ in named.members.values()]
        _replace(session, QuizMember, quiz.id, "member_id", ids)
    if named.groups is not None:
        session.execute(delete(QuizGroupMember).where(QuizGroupMember.quiz_id == quiz.id))
        session.add_all(
            QuizGroupMember(quiz_id=quiz.id, group_code=code, member_id=member_id)
            for code, found in named.groups.items()
            for member_id, _ in found.values()
        )
        session.flush()
    units = select(QuizUnit.unit_id).where(QuizUnit.quiz_id == quiz.id).limit(1)
    members = select(audience.named(quiz.id).c.member_id).limit(1)
    if session.scalar(units) is None and session.scalar(members) is None:
        raise invalid("units", "Name at least one unit, group or member the quiz is for.")


def unit_ids(session: Session, codes: Iterable[str]) -> list[int]:
    wanted = list(dict.fromkeys(codes))
    rows = session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(wanted)))
    found: dict[str, int] = {row.code: row.id for row in rows}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise invalid("units", f"Unknown unit(s): {', '.join(unknown)}.")
    return [found[code] for code in wanted]


def members_of(session: Session, staff_nos: Iterable[str]) -> dict[str, tuple[int, int]]:
    wanted = list(dict.fromkeys(staff_nos))
    rows = session.execute(
        select(Member.staff_no, Member.id, Member.unit_id).where(Member.staff_no.in_(wanted))
    )
    found = {row.staff_no: (row.id, row.unit_id) for row in rows}
    unknown = [staff_no for staff_no in wanted if staff_no not in found]
    if unknown:
        raise invalid("members", f"Unknown member(s): {', '.join(unknown)}.")
    return {staff_no: found[staff_no] for staff_no in wanted}


def _replace(session: Session, model: Any, quiz_id: int, column: str, ids: list[int]) -> None:
    session.execute(delete(model).where(model.quiz_id == quiz_id))
    session.add_all(model(quiz_id=quiz_id, **{column: value}) for value in ids)
    session.flush()


def views(
    session: Session, quizzes: list[Quiz], now: datetime, zone_name: str
) -> list[dict[str, Any]]:
    """Each quiz as the API shows it, its units and members read for all of them at once."""
    ids = [quiz.id for quiz in quizzes]
    units: dict[int, list[str]] = {i: [] for i in ids}
    members: dict[int, list[str]] = {i: [] for i in ids}
    for quiz_id, code in session.execute(
        select(QuizUnit.quiz_id, Unit.code)
        .join(Unit)
        .where(QuizUnit.quiz_id.in_(ids))
        .order_by(Unit.code)
    ):
        units[quiz_id].append(code)
    for quiz_id, staff_no in session.execute(
        select(QuizMember.quiz_id, Member.staff_no)
        .join(Member)
        .where(QuizMember.quiz_id.in_(ids))
        .order_by(Member.staff_no)
    ):
        members[quiz_id].append(staff_no)
    brought: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for quiz_id, code, count in session.execute(
        select(QuizGroupMember.quiz_id, QuizGroupMember.group_code, func.count())
        .where(QuizGroupMember.quiz_id.in_(ids))
        .group_by(QuizGroupMember.quiz_id, QuizGroupMember.group_code)
        .order_by(QuizGroupMember.group_code)
    ):
        brought[quiz_id].append({"code": code, "count": count})
    return [
        _view(q, units[q.id], members[q.id], now, zone_name) | {"groups": brought[q.id]}
        for q in quizzes
    ]


def _view(
    quiz: Quiz, units: list[str], members: list[str], now: datetime, zone_name: str
) -> dict[str, Any]:
    return {
        "id": quiz.code,
        "title": quiz.title,
        "opens_at": quiz.opens_at.isoformat(),
        "closes_at": quiz.closes_at.isoformat(),
        "window": window_text(quiz, zone_name),
        "max_score": quiz.max_score,
        "pass_mark": quiz.pass_mark,
        "units": units,
        "members": members,
        "pop": quiz.pop,
        "state": state(quiz, now),
        "created_by": quiz.created_by,
        "cancelled_at": quiz.cancelled_at.isoformat() if quiz.cancelled_at else None,
    }
