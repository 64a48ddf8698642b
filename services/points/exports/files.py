"""Where an export's file is kept, the name it is downloaded under, and its removal after
EXPORT_KEEP_DAYS: each run of the export job and each listing sweeps the expired ones, so no
scheduler of its own is needed (an export's file outliving its days until the next one is
harmless: it is no longer offered)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.points.exports.models import DONE, EXPIRED, FAILED, Export
from services.points.exports.words import _l, language

SUFFIX = {"xlsx": "xlsx", "pdf": "pdf", "csv": "zip"}
MIMETYPE = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "application/zip",
}
TITLE = _l("Learning report")


def folder(var_dir: Path) -> Path:
    return var_dir / "exports"


def path_of(var_dir: Path, export: Export) -> Path:
    return folder(var_dir) / f"{export.id}.{SUFFIX[export.format]}"


def download_name(export: Export, unit_name: str) -> str:
    """学习情况报告-北区-2026-11-01-2026-11-30.xlsx: the browser keeps it as the file's name."""
    title = language(export.language)(TITLE)
    period = f"{export.starts_on.isoformat()}-{export.ends_on.isoformat()}"
    return f"{title}-{unit_name}-{period}.{SUFFIX[export.format]}"


def _expired(keep_days: int, now: datetime) -> Select[tuple[Export]]:
    finished = Export.finished_at < now - timedelta(days=keep_days)
    return select(Export).where(Export.state.in_((DONE, FAILED)), finished)


def any_expired(session: Session, keep_days: int, now: datetime) -> bool:
    """Whether a sweep has work: asked in a read, so that a list polled every few seconds
    takes the write lock only when there is something to remove."""
    return session.scalar(_expired(keep_days, now).limit(1)) is not None


def sweep(session: Session, var_dir: Path, keep_days: int, now: datetime) -> int:
    """Removes the files of exports finished more than ``keep_days`` ago; returns how many."""
    count = 0
    for export in session.scalars(_expired(keep_days, now)):
        path_of(var_dir, export).unlink(missing_ok=True)
        export.state, count = EXPIRED, count + 1
    return count
