"""Sessions and excuses as the API shows them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points.models import Member, Unit
from services.points.sessions.models import Excuse, ExpectedAttendee, StudySession, public_id


def state_of(study: StudySession) -> str:
    if study.cancelled_at is not None:
        return "cancelled"
    return "closed" if study.closed_at is not None else "scheduled"


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()


def session_views(session: Session, studies: Sequence[StudySession]) -> list[dict[str, Any]]:
    """Views of ``studies`` with whom each expects (one query for them all): units, members
    named directly, and each custom group with how many members it brought."""
    named: dict[int, dict[str, list[str]]] = {s.id: {"units": [], "members": []} for s in studies}
    brought: dict[int, Counter[str]] = {s.id: Counter() for s in studies}
    rows = session.execute(
        select(ExpectedAttendee.session_id, ExpectedAttendee.group_code, Unit.code, Member.staff_no)
        .outerjoin(Unit, Unit.id == ExpectedAttendee.unit_id)
        .outerjoin(Member, Member.id == ExpectedAttendee.member_id)
        .where(ExpectedAttendee.session_id.in_(list(named)))
    )
    for row in rows:
        if row.group_code:
            brought[row.session_id][row.group_code] += 1
        elif row.code:
            named[row.session_id]["units"].append(row.code)
        elif row.staff_no:
            named[row.session_id]["members"].append(row.staff_no)
    return [
        {
            "id": public_id(s.id),
            "title": s.title,
            "starts_at": s.starts_at.isoformat(),
            "ends_at": s.ends_at.isoformat(),
            "place": s.place,
            "link": s.link,
            "lecturer": s.lecturer,
            "grace_minutes": s.grace_minutes,
            "expected": {
                **{k: sorted(v) for k, v in named[s.id].items()},
                "groups": [{"code": c, "count": n} for c, n in sorted(brought[s.id].items())],
            },
            "series": s.series_id,
            "state": state_of(s),
            "cancelled_at": _iso(s.cancelled_at),
            "closed_at": _iso(s.closed_at),
        }
        for s in studies
    ]


def excuse_view(excuse: Excuse, session_id: int, staff_no: str) -> dict[str, Any]:
    return {
        "session": public_id(session_id),
        "member": staff_no,
        "reason": excuse.reason,
        "state": excuse.state,
        "submitted_at": excuse.submitted_at.isoformat(),
        "decided_by": excuse.decided_by,
        "decided_at": _iso(excuse.decided_at),
        "note": excuse.note,
    }
