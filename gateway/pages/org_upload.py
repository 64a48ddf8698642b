"""A table uploaded on a page to one of the API's imports (the roster, a session's sign-in
sheet): the file checked on the page, sent on as multipart, and carried back in the dry
run's form (base64, with its SHA-256) so that Apply sends exactly the file that was shown.

The page keeps no file. The form holding the file must fit the body limit, so a page takes
files up to three quarters of it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from urllib3 import encode_multipart_formdata

from gateway import as_person
from gateway.pages.org_common import field_errors
from gateway.pages.visitor import person

SUFFIXES = (".csv", ".xlsx")


def page_limit() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"]) * 3 // 4 - 4096


def received() -> tuple[str, bytes]:
    """The uploaded ``file``'s name and bytes (one more than the limit at most)."""
    upload = request.files.get("file")
    if upload is None:
        return "", b""
    return upload.filename or "", upload.read(page_limit() + 1)


def file_problem(name: str, data: bytes, choose: str, wrong_kind: str) -> str | None:
    """What is wrong with the file, if anything (``choose``: no file; ``wrong_kind``: not CSV
    or XLSX), in the reader's language."""
    if not name:
        return choose
    if not name.lower().endswith(SUFFIXES):
        return wrong_kind
    if not data:
        return str(_("The file is empty."))
    if len(data) > page_limit():
        return str(_("The file is larger than %(n)d KB.", n=page_limit() // 1024))
    return None


def shown(name: str, data: bytes) -> dict[str, str]:
    """The file as the dry run's form carries it back."""
    return {"name": name, "data": base64.b64encode(data).decode(), "digest": digest(data)}


def kept() -> tuple[str, bytes] | None:
    """The file the form carried back, or None when it is not the one checked."""
    try:
        data = base64.b64decode(request.form.get("data", ""), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not data or digest(data) != request.form.get("digest"):
        return None
    return request.form.get("name", "")[:200], data


def send_file(path: str, name: str, data: bytes, query: dict[str, str]) -> tuple[int, Any]:
    body, content_type = encode_multipart_formdata({"file": (name, data)})
    answer = as_person.send_raw(person(), "POST", path, body, content_type, query)
    return as_person.decoded(answer)


def refused(status: int, answer: Any) -> dict[str, str]:
    """An import's refusal as messages for the upload form."""
    if status == 413:
        return {"file": _("The file or its table is over the platform's limits.")}
    return field_errors(status, answer, {"file": "file"})


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
