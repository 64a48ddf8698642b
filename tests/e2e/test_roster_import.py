"""Roster imports through the gateway with a signed-in admin, on the real processes: a UTF-8
file with Excel's byte-order mark, a GB18030 one as Chinese office software saves it and an
XLSX workbook, each with bad rows, moves and re-imports; the boards follow (a moved member's
points stay where earned, a departed member leaves the boards and comes back with what they
earned); a region's admin imports inside their region only."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import openpyxl

from tests.harness import Platform, wait_until
from tests.harness.events import quiz
from tests.harness.people import cli_admin, settled

IMPORT = "/api/v1/roster/import"
UNITS = (("rr-north", "北区", None), ("rr-sales", "销售部", "rr-north"), ("rr-south", "南区", None))
FIRST = (
    "工号,姓名,部门,邮箱,在职\n"
    "RR01,李娜,rr-north/rr-sales,li@example.cn,是\n"
    "RR02,王伟,北区 > 销售部,,是\n"
    "RR03,张敏,rr-south,,1\n"
    "RR04,刘洋,rr-west,,是\n"  # line 5: no such unit
    "RR05,赵强,rr-north,not-mail,是\n"  # line 6: a bad email
)
MOVES = (
    "工号,姓名,单位路径,手机,状态\n"
    "RR01,李娜,南区,138 0013 8000,在职\n"  # moved to the south
    "RR02,王伟,北区/销售部,,离职\n"  # left: deactivated
    "RR05,赵强,rr-north,,在职\n"  # the fixed row: created
    "RR06,陈静,rr-sales,12345,也许\n"  # line 5: not a state
)


def workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "花名册"
    sheet.append(["Staff No", "Name", "Unit", "Active"])
    sheet.append(["RR03", "张敏敏", "rr-south", "yes"])  # renamed
    sheet.append(["RR07", "周杰", "rr-sales", "yes"])  # created
    sheet.append([None, "无工号", "rr-south", "yes"])  # row 4: no staff number
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(platform: Platform, key: str, name: str, data: bytes, query: str = "") -> Any:
    answer = platform.client.upload(IMPORT + query, name, data, key=key)
    assert answer.status == 200, answer.body
    return answer.body


def rejected_lines(report: dict[str, Any]) -> list[int]:
    return [row["line"] for row in report["rows"]["rejected"]]


def board(platform: Platform, scope: str) -> dict[str, int]:
    rows = platform.call("GET", f"/api/v1/leaderboard?scope={scope}&limit=100").body["items"]
    return {row["member"]: row["points"] for row in rows}


def test_roster_imports_in_every_format_with_bad_rows_moves_and_re_imports(
    platform: Platform,
) -> None:
    admin = cli_admin(platform, "RR-ADMIN")
    for code, name, parent in UNITS:
        unit = {"code": code, "name": name, **({"parent": parent} if parent else {})}
        assert platform.call("POST", "/api/v1/units", unit, key=admin).status == 201

    bom = FIRST.encode("utf-8-sig")
    dry = upload(platform, admin, "roster.csv", bom)
    assert dry["dry_run"] is True and dry["counts"]["created"] == 3
    assert rejected_lines(dry) == [5, 6]
    assert platform.call("GET", "/api/v1/members/RR01", key=admin).status == 404
    applied = upload(platform, admin, "roster.csv", bom, "?dry_run=false")
    assert {**applied, "dry_run": True, "audit_id": None} == dry
    assert platform.call("GET", "/api/v1/members/RR02", key=admin).body["unit"] == "rr-sales"
    now = datetime.now(UTC).isoformat(timespec="seconds")
    status, body = platform.post_events(
        [quiz("rr-1", "RR01", at=now), quiz("rr-2", "RR02", at=now)]
    )
    assert body["accepted"] == 2, body
    platform.wait_boards_equal_ledger()
    earned = board(platform, "unit:rr-sales")
    assert set(earned) == {"RR01", "RR02"}

    moves = MOVES.encode("gb18030")
    moved = upload(platform, admin, "花名册.csv", moves, "?dry_run=false")
    assert [r["key"] for r in moved["rows"]["moved"]] == ["RR01"]
    assert [r["key"] for r in moved["rows"]["deactivated"]] == ["RR02"]
    assert [r["key"] for r in moved["rows"]["created"]] == ["RR05"]
    assert rejected_lines(moved) == [5]
    assert platform.call("GET", "/api/v1/members/RR01", key=admin).body["unit"] == "rr-south"
    again = upload(platform, admin, "花名册.csv", moves, "?dry_run=false")
    assert again["counts"]["unchanged"] == 3 and rejected_lines(again) == [5]
    assert sum(again["counts"].values()) == 4

    # The boards hear of it: the move keeps RR01's points on rr-sales, RR02 leaves the boards.
    wait_until(lambda: "RR02" not in board(platform, "org"), 30, 0.2, "RR02 off the boards")
    assert board(platform, "unit:rr-sales") == {"RR01": earned["RR01"]}
    assert "RR01" not in board(platform, "unit:rr-south")

    book = workbook()
    renamed = upload(platform, admin, "花名册.xlsx", book, "?dry_run=false")
    assert [r["key"] for r in renamed["rows"]["updated"]] == ["RR03"]
    assert renamed["rows"]["updated"][0]["changes"] == {"name": {"from": "张敏", "to": "张敏敏"}}
    assert [r["key"] for r in renamed["rows"]["created"]] == ["RR07"]
    assert renamed["rows"]["rejected"][0]["line"] == 4
    assert "staff_no" in renamed["rows"]["rejected"][0]["errors"]
    same = upload(platform, admin, "花名册.xlsx", book, "?dry_run=false&sheet=花名册")
    assert same["counts"]["unchanged"] == 2 and rejected_lines(same) == [4]

    # Back at work: RR02 is on the boards again with what they earned (and the platform's
    # boards equal its ledger again for the tests that follow).
    back = "staff_no,name,unit,active\nRR02,王伟,rr-sales,yes\n".encode()
    returned = upload(platform, admin, "back.csv", back, "?dry_run=false")
    assert returned["rows"]["updated"][0]["changes"] == {"active": {"from": False, "to": True}}
    wait_until(lambda: "RR02" in board(platform, "org"), 30, 0.2, "RR02 back on the boards")
    assert board(platform, "unit:rr-sales")["RR02"] == earned["RR02"]

    audit = platform.call("GET", "/api/v1/audit?limit=100", key=admin).body["items"]
    imports = [item for item in audit if item["action"] == "roster_import"]
    assert imports[0]["actor"] == "member:RR-ADMIN" and len(imports) >= 6


def test_a_region_s_admin_imports_inside_it_and_bad_files_are_4xx(platform: Platform) -> None:
    admin = cli_admin(platform, "RQ-ADMIN")
    for code, name, parent in (("rq-north", "N", None), ("rq-south", "S", None)):
        unit = {"code": code, "name": name, **({"parent": parent} if parent else {})}
        assert platform.call("POST", "/api/v1/units", unit, key=admin).status == 201
    roster = b"staff_no,name,unit\nRQ01,North Admin,rq-north\nRQ02,South,rq-south\n"
    upload(platform, admin, "r.csv", roster, "?dry_run=false")
    account = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": "RQ01"}, key=admin)
    role = {"role": "admin", "unit": "rq-north"}
    granted = platform.call("POST", "/api/v1/auth/accounts/RQ01/roles", role, key=admin)
    assert granted.status == 200, granted.body
    regional = settled(platform, "RQ01", account.body["one_time_password"])

    theirs = b"staff_no,name,unit\nRQ01,North Admin,rq-north\nRQ03,New,rq-south\nRQ04,N,rq-north\n"
    report = upload(platform, regional, "r.csv", theirs, "?dry_run=false&deactivate_missing=true")
    assert report["rows"]["rejected"] == [
        {"line": 3, "key": "RQ03",
         "errors": {"unit": ["Unit 'rq-south' is outside the units you administer."]}}
    ]  # fmt: skip
    assert report["counts"]["deactivated"] == 0  # RQ02 is in the south: not theirs
    assert platform.call("GET", "/api/v1/members/RQ04", key=admin).body["unit"] == "rq-north"

    member = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": "RQ02"}, key=admin)
    staff = settled(platform, "RQ02", member.body["one_time_password"])
    refused = platform.client.upload(IMPORT, "r.csv", theirs, key=staff)
    assert refused.status == 403, refused.body
    empty = platform.client.upload(IMPORT, "r.csv", b"", key=admin)
    assert empty.status == 422 and empty.body["errors"]["files"]["file"] == ["The file is empty."]
    nothing = platform.call("POST", IMPORT, key=admin)
    assert nothing.status == 422 and "file" in nothing.body["errors"]["files"]
    document = platform.call("GET", "/api/openapi.json", key="").body
    body = document["paths"][IMPORT]["post"]["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
