"""The uploaded table of a request (multipart/form-data, field ``file``), read within the
platform's limits: the file is held to MAX_BODY_BYTES like every body, its rows to
IMPORT_MAX_ROWS. Every import view starts here."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from werkzeug.datastructures import FileStorage

from services.points.api.context import platform_settings
from services.points.imports.tables import Column, Limits, Table, read_table


def uploaded_table(
    upload: FileStorage, columns: Sequence[Column], query: dict[str, Any]
) -> tuple[Table, dict[str, Any]]:
    """The table, and what an audit record says of the file (its name, size and digest)."""
    settings = platform_settings()
    limits = Limits(max_bytes=settings.max_body_bytes, max_rows=settings.import_max_rows)
    data = upload.read(limits.max_bytes + 1)
    table = read_table(data, columns, limits, encoding=query["encoding"], sheet=query["sheet"])
    about = {
        "file": (upload.filename or "")[:200],
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return table, about
