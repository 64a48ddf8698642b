"""The intake's figures for /metrics (services.common.metrics): events by what became of them,
counted once their transaction committed, so a rolled-back batch counts nothing."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter

from services.points.intake.outcome import Outcome

EVENTS = Counter(
    "points_events_total",
    "Events posted to the intake, by outcome: accepted (new), duplicate (a replay), "
    "rejected (invalid, or an id reused with other content).",
    ["outcome"],
)
BY_STATUS = {201: "accepted", 200: "duplicate"}


def count(outcomes: Iterable[Outcome]) -> None:
    for outcome in outcomes:
        EVENTS.labels(BY_STATUS.get(outcome.status, "rejected")).inc()
