"""A key's limits: the event types it may post, and the units (each with every unit below it)
whose members it may post for. The gateway sends them in signed headers (services/contracts.py)
for a key that has them; no header means no limit.

A request with any event outside the limits is refused whole (403, naming the events), before
anything is written: a key that sends what it must not is misconfigured or misused, and
recording the rest would hide that. An unknown member is left to the usual check (422): no
unit holds it, and it earns nothing either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points.models import Member
from services.points.org import unit_codes, unit_path


@dataclass(frozen=True)
class Limits:
    event_types: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()

    @classmethod
    def from_headers(cls, event_types: str, units: str) -> Limits:
        return cls(frozenset(event_types.split()), frozenset(units.split()))

    def __bool__(self) -> bool:
        return bool(self.event_types or self.units)


def outside(
    session: Session, events: Sequence[tuple[int, dict[str, Any]]], limits: Limits
) -> dict[int, str]:
    """{position: why} for the checked events the limits do not allow."""
    if not limits:
        return {}
    units_of = _units_of_members(session, {e["member"] for _, e in events}, limits)
    refused: dict[int, str] = {}
    for index, event in events:
        why = []
        if limits.event_types and event["type"] not in limits.event_types:
            allowed = ", ".join(sorted(limits.event_types))
            why.append(f"type {event['type']!r} is not one this key may post ({allowed})")
        member = event["member"]
        if limits.units and member in units_of and not units_of[member] & limits.units:
            allowed = ", ".join(sorted(limits.units))
            why.append(f"member {member!r} is not in this key's units ({allowed}) or below them")
        if why:
            refused[index] = f"Event {event['id']!r}: {'; '.join(why)}."
    return refused


def _units_of_members(
    session: Session, staff_nos: set[str], limits: Limits
) -> dict[str, frozenset[str]]:
    """Each known member's unit and every unit above it (codes)."""
    if not limits.units:
        return {}
    rows = session.execute(
        select(Member.staff_no, Member.unit_id).where(Member.staff_no.in_(staff_nos))
    ).all()
    tree = unit_codes(session)
    paths: dict[int, frozenset[str]] = {}
    for _, unit_id in rows:
        if unit_id not in paths:
            paths[unit_id] = frozenset(unit_path(tree, unit_id))
    return {staff_no: paths[unit_id] for staff_no, unit_id in rows}
