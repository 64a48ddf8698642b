"""The export job: computes the sections of one export, writes its file under VAR_DIR and
records its progress on the export's row as it goes (0-100), so the list shows it.

Enqueued by the API on the default queue; like every job it opens its own connections. Safe
to run twice: a finished export is left as it is, and a rerun writes the file afresh."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from services.common.db import Database, utcnow
from services.points import org
from services.points.exports import csv_zip, files, pdf, sections, store, xlsx
from services.points.exports.models import DONE, EXPIRED, FAILED, RUNNING, Export
from services.points.exports.tables import Scope, Table
from services.points.exports.words import _l, language
from services.points.models import Unit
from services.settings import Settings

log = logging.getLogger(__name__)

JOB = "services.points.exports.jobs.run"
COMPUTED = 90  # per cent of the work done once the sections are computed; writing is the rest


def run(export_id: int) -> dict[str, Any]:
    return run_with(Settings.from_env(), export_id)


def run_with(
    settings: Settings, export_id: int, on_progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    db = Database(settings.database_url("points"), settings.db_lock_timeout)
    try:
        with db.write() as session:
            export = session.get(Export, export_id)
            if export is None or export.state in (DONE, EXPIRED):
                return {"status": "skipped", "export": export_id}
            export.state, export.progress, export.error = RUNNING, 0, None
        try:
            _make(db, settings, export_id, on_progress)
        except Exception as exc:
            log.exception("export %s failed", export_id)
            _finish(db, export_id, FAILED, str(exc)[:500] or type(exc).__name__)
            raise
        _finish(db, export_id, DONE, None)
        with db.write() as session:
            files.sweep(session, settings.var_dir, settings.export_keep_days, utcnow())
    finally:
        db.dispose()
    return {"status": "ok", "export": export_id}


def _make(
    db: Database, settings: Settings, export_id: int, on_progress: Callable[[int], None] | None
) -> None:
    def progress(value: int) -> None:
        with db.write() as session:
            session.get_one(Export, export_id).progress = value
        if on_progress:
            on_progress(value)

    tables: list[Table] = []
    with db.read() as session:
        export = session.get_one(Export, export_id)
        scope = _scope(session, export, settings.org_timezone)
        fmt, language_name = export.format, export.language
        for number, build in enumerate(sections.SECTIONS, start=1):
            tables.append(build(session, scope))
            progress(COMPUTED * number // len(sections.SECTIONS))
        path = files.path_of(settings.var_dir, export)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")  # a download never finds half a file
    if fmt == "xlsx":
        xlsx.write(tables, partial)
    elif fmt == "csv":
        csv_zip.write(tables, partial)
    else:
        pdf.write(tables, _cover(scope, language_name), partial)
    partial.replace(path)
    progress(100)


def _scope(session: Session, export: Export, timezone: str) -> Scope:
    unit = session.get_one(Unit, export.unit_id)
    tree = org.unit_codes(session)
    return Scope(
        unit_id=unit.id,
        unit_code=unit.code,
        unit_name=unit.name,
        unit_ids=frozenset(org.below(tree, [unit.id])),
        starts_on=export.starts_on,
        ends_on=export.ends_on,
        timezone=timezone,
        say=language(export.language),
    )


def _cover(scope: Scope, language_name: str) -> pdf.Cover:
    say = scope.say
    period = f"{scope.starts_on.isoformat()} – {scope.ends_on.isoformat()}"
    made = say(_l("Made on %(day)s")) % {"day": utcnow().date().isoformat()}
    return pdf.Cover(say(files.TITLE), scope.unit_name, period, made)


def _finish(db: Database, export_id: int, state: str, error: str | None) -> None:
    with db.write() as session:
        store.finish(session, export_id, state, error)
