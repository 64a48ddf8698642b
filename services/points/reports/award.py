"""Points for an approved report, through the same intake as every event, exactly once.

The first approval records a platform event: sender ``platform:reports``, id ``report:<id>``,
type ``practice_report`` with the report's title (as ``#<id> <title>``), rating and summary, so
the rules price it (caps, campaigns, streaks and badges included), its reason names the report
and the rating, and the outbox carries it to the boards once. The report keeps that event's id
and the rating it was priced at:

- approved again at the same rating (after an appeal, or a return and resubmission): nothing;
- approved at another rating: one compensating ledger entry on the same event, the new
  rating's price under the rule version that priced the event minus what the event's entries
  already hold for the report; if a cap cut the first award, the report never holds more than
  that award was granted (a re-rating is not a new report for the period's cap);
- rejected after an approval (an appeal that fails): the same, to 0.

A retry cannot award twice: the approval and its entries commit in one transaction with the
report's move to ``approved``, which a second approval finds already made (409), and the
event's id is stable, so even a replayed intake awards nothing more.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.common.errors import Unprocessable
from services.points.intake import record as intake
from services.points.ledger.entries import insert_entries, ledger_row
from services.points.models import Event, LedgerEntry, Member
from services.points.reports.models import Report
from services.points.rules import scoring
from services.points.rules.published import RuleBook
from services.rules import Entry
from services.rules.pricing import PricingError, price

SENDER = "platform:reports"
TYPE = "practice_report"
HELD_KINDS = ("event", "rerating", "rescore")  # not streak bonuses or badges


def event_id(report: Report) -> str:
    return f"report:{report.id}"


def award(
    session: Session, report: Report, rating: str | None, rules: RuleBook, zone: str, now: datetime
) -> None:
    """Bring the report's points in line with ``rating`` (None: rejected, worth nothing)."""
    if report.award_event_id is None:
        if rating is not None:
            _first(session, report, rating, rules, zone, now)
        return
    if rating != report.awarded_rating:
        _rerate(session, report, rating, rules, zone, now)


def _first(
    session: Session, report: Report, rating: str, rules: RuleBook, zone: str, now: datetime
) -> None:
    staff_no = session.scalar(select(Member.staff_no).where(Member.id == report.member_id))
    data = {"title": f"#{report.id} {report.title}"[:200], "rating": rating}
    data["summary"] = report.result[:5000]
    event = {"id": event_id(report), "type": TYPE, "member": staff_no, "occurred_at": now}
    outcome = intake.record(session, SENDER, [(0, {**event, "data": data})], rules, zone, now)[0]
    if outcome.status >= 400:
        errors = outcome.body.get("errors") or {"rating": [outcome.body.get("message", "")]}
        raise Unprocessable(
            f"Report {report.id}'s points at rating {rating!r} could not be recorded.",
            errors={"json": {"scores": errors}},
        )
    report.award_event_id = session.scalar(
        select(Event.id).where(Event.sender == SENDER, Event.external_id == event["id"])
    )
    report.awarded_rating = rating


def _rerate(
    session: Session,
    report: Report,
    rating: str | None,
    rules: RuleBook,
    zone: str,
    now: datetime,
) -> None:
    event = session.get(Event, report.award_event_id)
    assert event is not None
    entries = list(session.scalars(select(LedgerEntry).where(LedgerEntry.event_id == event.id)))
    own = next(e for e in entries if e.detail.get("kind") == "event")
    held = sum(e.points for e in entries if e.detail.get("kind") in HELD_KINDS)
    target = _target(own, rating, rules.at(event.occurred_at), report.id)
    change = target - held
    report.awarded_rating = rating
    if change == 0:
        return
    member = session.get(Member, report.member_id)
    scoring.lock_members(session, [report.member_id])
    was = report_word(event.data.get("rating"))
    reason = f"Practice report #{report.id} re-rated {report_word(rating)} (was {was}): "
    reason += f"{change:+d} points (rule set v{own.rule_version})"
    detail = {"kind": "rerating", "report": report.id, "was": held, "now": target}
    detail |= {"rating": rating, "was_rating": was, "title": report.title}
    entry = Entry("rerating", own.category, change, reason, detail)
    row = ledger_row(member, event.id, entry, own.rule_version, now, local_date(now, zone), now)
    insert_entries(session, [row])


def _target(own: LedgerEntry, rating: str | None, rule: Any, report_id: int) -> int:
    if rating is None:
        return 0
    try:
        points = price(TYPE, {"rating": rating}, rule.document, rule.version).points
    except PricingError as exc:
        message = f"The rules cannot price report {report_id}'s rating {rating!r}: {exc}"
        raise Unprocessable(message, errors={"json": {"scores": [message]}}) from exc
    cap = own.detail.get("cap")
    return min(points, own.points) if cap and cap.get("reached") else points


def report_word(rating: str | None) -> str:
    return "rejected" if rating is None else rating


def held_points(session: Session, report: Report) -> int:
    if report.award_event_id is None:
        return 0
    rows = session.scalars(select(LedgerEntry).where(LedgerEntry.event_id == report.award_event_id))
    return sum(e.points for e in rows)
