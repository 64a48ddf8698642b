"""Exports through the real gateway: an admin key asks for a unit's CSV export, the platform's
RQ worker makes it, and the file comes back with its Chinese name (RFC 5987) and a member's
formula-like name as text; a unit's admin exports only inside their units, a member not at all."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from urllib.parse import quote

import pytest

from tests.harness import Platform
from tests.harness.people import account, organisation
from tests.harness.waiting import wait_until

UNITS = (("exp-area", "东区", None), ("exp-team", "东区一组", "exp-area"))
MEMBERS = (("exp-m1", "+86 138", "exp-team"), ("exp-m2", "周洁", "exp-area"))


@pytest.fixture(scope="module")
def east(platform: Platform) -> Platform:
    """The area and its team, with a member in each (one named like a formula)."""
    organisation(platform, platform.admin_key, UNITS, MEMBERS)
    return platform


def _body(unit: str) -> dict[str, str]:
    today = date.today()
    return {"unit": unit, "from": (today - timedelta(days=7)).isoformat(),
            "to": (today + timedelta(days=1)).isoformat(), "format": "csv"}  # fmt: skip


def test_an_export_is_made_by_the_worker_and_downloaded_with_its_chinese_name(
    east: Platform,
) -> None:
    platform = east
    started = platform.call("POST", "/api/v1/exports", _body("exp-area"))
    assert started.status == 202, started.body
    path = f"/api/v1/exports/{started.body['id']}"

    def done() -> bool:
        shown = platform.call("GET", path).body
        assert shown["state"] != "failed", shown
        return bool(shown["state"] == "done")

    wait_until(done, timeout=60, every=0.2, what="the export done")
    answer = platform.http.request(
        "GET", f"{platform.base_url}{path}/file",
        headers={"Authorization": f"Bearer {platform.admin_key}"},
    )  # fmt: skip
    assert answer.status == 200
    body = _body("exp-area")
    name = f"学习情况报告-东区-{body['from']}-{body['to']}.zip"
    assert f"filename*=UTF-8''{quote(name)}" in answer.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    text = archive.read("02-members.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[:3] for row in rows[1:]] == [
        ["exp-m1", "'+86 138", "东区一组"],
        ["exp-m2", "周洁", "东区"],
    ]


def test_a_unit_s_admin_exports_only_inside_their_units_and_a_member_not_at_all(
    east: Platform,
) -> None:
    platform, admin = east, east.admin_key
    team_admin = account(platform, admin, "exp-m1", ("admin", "exp-team"))
    member = account(platform, admin, "exp-m2")
    refused = platform.call("POST", "/api/v1/exports", _body("exp-area"), key=team_admin)
    assert refused.status == 403, refused.body
    assert platform.call("POST", "/api/v1/exports", _body("exp-team"), key=team_admin).status == 202
    listed = platform.call("GET", "/api/v1/exports", key=team_admin).body["items"]
    assert {e["unit"] for e in listed} == {"exp-team"}
    assert platform.call("POST", "/api/v1/exports", _body("exp-team"), key=member).status == 403
    assert platform.call("GET", "/api/v1/exports", key=member).status == 403
