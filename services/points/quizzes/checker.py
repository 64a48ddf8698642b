"""The intake check of quiz events (services/points/intake/references.py, "quiz").

An event naming a kept quiz must fall inside its window, carry the quiz's maximum (or none:
it is filled in from the quiz, so the rules price and replay it as if sent), come from a member
the quiz is for, and name a quiz not cancelled. An event naming a quiz the platform does not
keep is recorded as sent (``ad_hoc``, with its own ``max_score``, which the pricing needs) or
refused (``refuse``). Every refusal names its field, by the event's position."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.web import settings
from services.points import org
from services.points.models import Member
from services.points.quizzes import audience, store
from services.points.quizzes.models import Quiz, QuizUnit
from services.settings import UNKNOWN_CHOICES

_, REFUSE = UNKNOWN_CHOICES

Checked = list[tuple[int, dict[str, Any]]]


def check(session: Session, events: Checked, unknown: str) -> dict[int, dict[str, Any]]:
    codes = {event["data"]["quiz"] for _, event in events}
    quizzes = {q.code: q for q in session.scalars(select(Quiz).where(Quiz.code.in_(codes)))}
    audiences = _audiences(session, quizzes.values())
    members = _members(session, {event["member"] for _, event in events})
    tree = org.unit_codes(session) if quizzes else {}
    zone_name = settings().org_timezone
    errors: dict[int, dict[str, Any]] = {}
    for index, event in events:
        quiz = quizzes.get(event["data"]["quiz"])
        if quiz is None:
            found = _unknown(event, unknown)
        else:
            found = _against(event, quiz, zone_name)
            member = members.get(event["member"])
            if member is not None and not _invited(member, audiences[quiz.id], tree):
                found["member"] = [
                    f"{event['member']} is not among those quiz {quiz.code!r} is for."
                ]
        if found:
            errors[index] = found
    return errors


def _unknown(event: dict[str, Any], unknown: str) -> dict[str, Any]:
    code = event["data"]["quiz"]
    if unknown == REFUSE:
        return {"data": {"quiz": [f"Unknown quiz {code!r}."]}}
    if "max_score" not in event["data"]:
        why = f"Required: quiz {code!r} is not kept here, so its maximum is not known."
        return {"data": {"max_score": [why]}}
    return {}


def _against(event: dict[str, Any], quiz: Quiz, zone_name: str) -> dict[str, Any]:
    """What is wrong with the event against the quiz; fills in a missing max_score."""
    data = event["data"]
    if quiz.cancelled_at is not None:
        return {"data": {"quiz": [f"Quiz {quiz.code!r} was cancelled."]}}
    found: dict[str, Any] = {}
    if not quiz.opens_at <= event["occurred_at"] < quiz.closes_at:
        window = store.window_text(quiz, zone_name)
        found["occurred_at"] = [f"Outside the window of quiz {quiz.code!r}: {window}."]
    data.setdefault("max_score", quiz.max_score)
    if data["max_score"] != quiz.max_score:
        message = f"Must be {quiz.max_score:g}, the maximum of quiz {quiz.code!r}."
        found["data"] = {"max_score": [message]}
    elif data["score"] > quiz.max_score:
        found["data"] = {"score": [f"Must not exceed max_score ({quiz.max_score:g})."]}
    return found


def _audiences(session: Session, quizzes: Any) -> dict[int, tuple[set[int], set[int]]]:
    ids = [quiz.id for quiz in quizzes]
    found: dict[int, tuple[set[int], set[int]]] = {i: (set(), set()) for i in ids}
    for quiz_id, unit_id in session.execute(
        select(QuizUnit.quiz_id, QuizUnit.unit_id).where(QuizUnit.quiz_id.in_(ids))
    ):
        found[quiz_id][0].add(unit_id)
    members = audience.named()
    for quiz_id, member_id in session.execute(
        select(members.c.quiz_id, members.c.member_id).where(members.c.quiz_id.in_(ids))
    ):
        found[quiz_id][1].add(member_id)
    return found


def _members(session: Session, staff_nos: set[str]) -> dict[str, Any]:
    rows = session.execute(
        select(Member.id, Member.staff_no, Member.unit_id).where(Member.staff_no.in_(staff_nos))
    )
    return {row.staff_no: row for row in rows}


def _invited(member: Any, named: tuple[set[int], set[int]], tree: org.Tree) -> bool:
    units, members = named
    return member.id in members or bool(org.above(tree, member.unit_id) & units)
