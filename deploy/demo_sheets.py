"""The demo's sign-in sheet: the paper sheet of the North District's session, typed up after it
was closed, in GB18030 as Chinese office software saves it. Two members it lists as late were
recorded absent at closing: the sheet corrects them (a compensating entry each). One row names
a member of another region (rejected: not expected). A second run finds every row unchanged."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any, Protocol

TITLE = "Study session: North District"  # the held session of deploy/demo_sessions.py


class Gateway(Protocol):
    base_url: str
    key: str

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]: ...


def sign_in_sheet(gateway: Gateway, members: list[dict[str, Any]]) -> str:
    """Import the sheet (a dry run, then applied); a line saying what it did."""
    _, known = gateway.call("GET", "/api/v1/sessions?limit=500")
    held = next((s for s in known.get("items", []) if s["title"] == TITLE), None)
    if held is None:
        return "sign-in sheet: no session to import it into"
    north = [m for m in members if m["unit"].startswith("north-")]
    south = next(m for m in members if m["unit"].startswith("south-"))
    late = north[1::4][:2]  # absent at closing (demo_sessions signs in every fourth)
    rows = [f"{m['staff_no']},迟到,路上堵车" for m in late] + [f"{south['staff_no']},准时,"]
    sheet = "\n".join(["工号,签到状态,备注", *rows]).encode("gb18030")
    path = f"/api/v1/sessions/{held['id']}/sign-ins/import"
    dry = upload(gateway, path, sheet)
    done = upload(gateway, path + "?dry_run=false", sheet)
    return f"sign-in sheet for {held['id']}: dry run {dry['counts']}, applied {done['counts']}"


def upload(gateway: Gateway, path: str, data: bytes) -> Any:
    """POST a file as multipart/form-data, field ``file``; the JSON answer."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="sheet.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        gateway.base_url + path,
        method="POST",
        data=body,
        headers={
            "Authorization": f"Bearer {gateway.key}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise SystemExit(f"the sheet import answered {error.code}: {error.read()!r}") from None
