"""What a reviewer does with a report: score it by its rubric, return it, reject it, mark it
exemplary. Scoring decides the report once the round has the scores its rubric asks for
(services/points/reports/scoring.py), or, in the round an appeal opened, once one reviewer
who has not scored the report before has; approval and rejection bring its points in line
(services/points/reports/award.py) in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, Unprocessable
from services.points.reports import award, rubrics, scoring, states
from services.points.reports.models import Report, Score
from services.points.reports.states import APPROVED, IN_REVIEW, REJECTED, RETURNED, SUBMITTED
from services.points.rules.published import RuleBook


def _take(session: Session, report: Report, actor: str, now: datetime) -> None:
    """A reviewer's first move on a submitted report puts it in review."""
    states.require(report, SUBMITTED, IN_REVIEW, doing="reviewing")
    if report.state == SUBMITTED:
        states.move(session, report, IN_REVIEW, actor, now)


def round_scores(session: Session, report: Report) -> list[Score]:
    return list(
        session.scalars(
            select(Score)
            .where(Score.report_id == report.id, Score.round == report.round)
            .order_by(Score.id)
        )
    )


def _checked(criteria: list[dict[str, Any]], scores: dict[str, int]) -> dict[str, int]:
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        code, top = criterion["code"], criterion["max"]
        if code not in scores:
            errors[code] = [f"Score {criterion['title']!r} (0-{top})."]
        elif scores[code] > top:
            errors[code] = [f"At most {top}."]
    for code in set(scores) - {c["code"] for c in criteria}:
        errors[code] = ["Not a criterion of this report's rubric."]
    if errors:
        raise Unprocessable(errors={"json": {"scores": errors}})
    return scores


def score(
    session: Session,
    report: Report,
    reviewer: str,
    body: dict[str, Any],
    rules: RuleBook,
    zone: str,
    now: datetime,
) -> None:
    states.require(report, SUBMITTED, IN_REVIEW, doing="scoring")
    assert report.rubric_id is not None  # taken at submission
    rubric = rubrics.as_rules(rubrics.by_id(session, report.rubric_id))
    if report.appeal_round == report.round:
        rubric["reviewers"] = 1  # an appeal: one reviewer new to the report decides alone
    given = _checked(rubric["criteria"], body["scores"])
    earlier = round_scores(session, report)
    if any(s.reviewer == reviewer for s in earlier):
        raise Conflict(f"You scored report {report.id} in this round already.")
    actor = f"member:{reviewer}"
    _take(session, report, actor, now)
    value = scoring.total(rubric["criteria"], given)
    session.add(
        Score(
            report_id=report.id,
            round=report.round,
            reviewer=reviewer,
            scores=given,
            total=value,
            comment=body.get("comment"),
            at=now,
        )
    )
    outcome = scoring.decide(rubric, [s.total for s in earlier] + [value])
    if outcome is not None:
        _decide(session, report, outcome, actor, body.get("comment"), rules, zone, now)


def _decide(
    session: Session,
    report: Report,
    outcome: scoring.Outcome,
    actor: str,
    comment: str | None,
    rules: RuleBook,
    zone: str,
    now: datetime,
) -> None:
    report.total, report.rating, report.decided_at = outcome.total, outcome.rating, now
    if outcome.rating is None:
        reason = f"Rubric total {outcome.total} is below every rating band."
        report.comment = f"{reason} {comment}" if comment else reason
        states.move(session, report, REJECTED, actor, now, report.comment)
    else:
        report.comment = comment
        said = f"Rated {outcome.rating} (rubric total {outcome.total})."
        states.move(session, report, APPROVED, actor, now, said)
    award.award(session, report, outcome.rating, rules, zone, now)


def send_back(session: Session, report: Report, reviewer: str, comment: str, now: datetime) -> None:
    actor = f"member:{reviewer}"
    _take(session, report, actor, now)
    report.comment = comment
    states.move(session, report, RETURNED, actor, now, comment)


def reject(
    session: Session,
    report: Report,
    reviewer: str,
    reason: str,
    rules: RuleBook,
    zone: str,
    now: datetime,
) -> None:
    actor = f"member:{reviewer}"
    _take(session, report, actor, now)
    report.comment, report.rating, report.decided_at = reason, None, now
    states.move(session, report, REJECTED, actor, now, reason)
    award.award(session, report, None, rules, zone, now)


def mark_exemplary(report: Report, reviewer: str, now: datetime) -> None:
    states.require(report, APPROVED, doing="marking it exemplary")
    report.exemplary_by = reviewer
    report.updated_at = now
