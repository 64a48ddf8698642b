"""Small files attached to a report, kept in SQL beside it (no second store to back up).

A file is taken only when its first bytes say it is one of the allowed kinds and the declared
Content-Type agrees: PDF, PNG, JPEG, and DOCX/XLSX (zip archives holding a Word document or an
Excel workbook), so a renamed executable or a script is refused whatever it claims to be.
Its size is at most REPORT_ATTACHMENT_MAX_BYTES; a report holds at most ``MAX_FILES``. The
author adds and removes files while the report is editable (a draft or returned); whoever may
read the report may download them.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, NotFound, PayloadTooLarge, Unprocessable
from services.points.reports import states
from services.points.reports.models import Attachment, Report
from services.points.reports.states import DRAFT, RETURNED

MAX_FILES = 10
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = (PDF, PNG, JPEG, DOCX, XLSX)
_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,200}\Z")


def sniff(data: bytes) -> str | None:
    """The allowed type the bytes are, by their magic numbers (and, for zips, their parts)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def _invalid(where: str, field: str, message: str) -> Unprocessable:
    return Unprocessable(errors={where: {field: [message]}})


def add(
    session: Session,
    report: Report,
    name: str,
    declared: str,
    data: bytes,
    limit: int,
    now: datetime,
) -> Attachment:
    states.require(report, DRAFT, RETURNED, doing="attaching a file")
    if not _NAME.fullmatch(name):
        raise _invalid("query", "name", "Give the file's name: 1-200 characters, no slashes.")
    if len(data) > limit:
        raise PayloadTooLarge(f"The file is {len(data)} bytes; at most {limit} are taken.")
    if not data:
        raise _invalid("body", "file", "The file is empty.")
    kind = sniff(data)
    if kind is None:
        allowed = "PDF, PNG, JPEG, DOCX or XLSX"
        raise _invalid("headers", "Content-Type", f"The file's content is not {allowed}.")
    if declared.split(";")[0].strip().lower() != kind:
        raise _invalid(
            "headers", "Content-Type", f"The file's content is {kind}, not {declared!r}."
        )
    held = session.scalar(select(func.count()).where(Attachment.report_id == report.id))
    if (held or 0) >= MAX_FILES:
        raise Conflict(f"Report {report.id} holds {MAX_FILES} files already.")
    attachment = Attachment(
        report_id=report.id, name=name, content_type=kind, size=len(data), data=data, created_at=now
    )
    session.add(attachment)
    session.flush()
    return attachment


def one(session: Session, report: Report, attachment_id: int) -> Attachment:
    found = session.get(Attachment, attachment_id)
    if found is None or found.report_id != report.id:
        raise NotFound(f"Report {report.id} has no file {attachment_id}.")
    return found


def remove(session: Session, report: Report, attachment_id: int) -> None:
    states.require(report, DRAFT, RETURNED, doing="removing a file")
    session.delete(one(session, report, attachment_id))
