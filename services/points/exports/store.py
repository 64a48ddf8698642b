"""Export rows: made for a request, and shown as the API shows them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.db import utcnow
from services.points import org
from services.points.exports.models import DONE, Export
from services.points.models import Unit

LISTED = 100  # the newest this many of the caller's units


def create(session: Session, body: dict[str, Any], who: str) -> Export:
    unit = org.unit_by_code(session, body["unit"], field="unit")
    export = Export(
        unit_id=unit.id,
        starts_on=body["starts_on"],
        ends_on=body["ends_on"],
        format=body["format"],
        language=body["language"],
        requested_by=who,
    )
    session.add(export)
    session.flush()
    return export


def finish(session: Session, export_id: int, state: str, error: str | None = None) -> None:
    """Done, or failed with its error."""
    export = session.get_one(Export, export_id)
    export.state, export.error, export.finished_at = state, error, utcnow()


def unit_names(session: Session) -> dict[int, str]:
    return {row.id: row.name for row in session.execute(select(Unit.id, Unit.name))}


def view(export: Export, tree: org.Tree, names: dict[int, str]) -> dict[str, Any]:
    done = export.state == DONE
    return {
        "id": export.id,
        "unit": tree[export.unit_id][0],
        "unit_name": names[export.unit_id],
        "starts_on": export.starts_on,
        "ends_on": export.ends_on,
        "format": export.format,
        "language": export.language,
        "state": export.state,
        "progress": export.progress,
        "error": export.error,
        "requested_by": export.requested_by,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
        "file": f"/api/v1/exports/{export.id}/file" if done else None,
    }


def visible(session: Session, administers: Callable[[list[str]], bool]) -> list[dict[str, Any]]:
    """The newest exports whose unit the caller administers (``administers`` takes its path)."""
    tree = org.unit_codes(session)
    names = unit_names(session)
    paths = {unit_id: org.unit_path(tree, unit_id) for unit_id in tree}
    mine = [unit_id for unit_id, path in paths.items() if administers(path)]
    rows = session.scalars(
        select(Export).where(Export.unit_id.in_(mine)).order_by(Export.id.desc()).limit(LISTED)
    )
    return [view(export, tree, names) for export in rows]
