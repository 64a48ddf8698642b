"""What intake answers for each event: its status and body. A replay is answered with the
same body as the first post (``idempotency``), so both are built here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Outcome:
    """What happened to one event: 201 new, 200 replay, 409 id reused, 422 invalid."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)


def answer(
    event: dict[str, Any],
    entries: list[dict[str, Any]],
    duplicate: bool,
    received_at: datetime | None = None,
) -> dict[str, Any]:
    """The body of a 201 or 200: the event as stored, with its ledger entries."""
    view = {
        "id": event["id"],
        "type": event["type"],
        "member": event["member"],
        "occurred_at": event["occurred_at"].isoformat(),
        "data": event["data"],
    }
    if received_at is not None:
        view["received_at"] = received_at.isoformat()
    return {"event": view, "entries": entries, "duplicate": duplicate}
