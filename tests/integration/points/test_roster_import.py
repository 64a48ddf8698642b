"""The roster import on a real database: a dry run changes nothing, an apply changes what the
dry run said in one transaction with an audit record, the same file again changes nothing,
moves keep points where they were earned, bad rows come back by line, and an admin of a
region imports inside it only. Units: north > north-ops, south; members S001 (north-ops),
S002 (south), S003 (south, inactive)."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import select

from services.common.queues import queue
from services.points.models import LedgerEntry, Member, Unit

PATH = "/api/v1/roster/import"
ONE_LINE = "A name holds no control characters (line breaks, tabs)."
NORTH_ADMIN = {"X-Roles": "admin@north staff", "X-Viewer": "A001", "X-Scopes": "read"}
ROSTER = (
    "工号,姓名,部门,邮箱,手机,在职,性别\n"
    "S001,李娜,north/south,,,是,女\n"  # line 2: south is not under north
    "S001X,,north,bad-mail,12,也许,男\n"  # line 3: every field wrong
    "S002,Wang Wei,North > North operations,wang@example.cn,138-0013-8000,在职,男\n"  # moved
    "S003,Zhao Min,south,,,1,女\n"  # reactivated: updated
    "S004,钱多多,north-ops,,,是,男\n"  # created
    "S005,孙悟空,south,,,离职,男\n"  # created inactive
)


def upload(
    client: FlaskClient, data: bytes, query: str = "", headers: dict[str, str] | None = None
) -> Any:
    files = {"file": (io.BytesIO(data), "roster.csv")}
    return client.post(
        f"{PATH}{query}", data=files, content_type="multipart/form-data", headers=headers or {}
    )


def members(client: FlaskClient) -> dict[str, tuple[str, str, bool]]:
    items = client.get("/api/v1/members?limit=500").get_json()["items"]
    return {m["staff_no"]: (m["name"], m["unit"], m["active"]) for m in items}


def keys(report: dict[str, Any], action: str) -> list[str | None]:
    return [row["key"] for row in report["rows"][action]]


def test_a_dry_run_reports_and_changes_nothing(org: FlaskClient, redis: Redis) -> None:
    before, jobs = members(org), len(queue("projection", redis))
    answer = upload(org, ROSTER.encode("gb18030"))
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    assert report["dry_run"] is True and report["audit_id"] is None
    assert report["counts"] == {
        "created": 2, "updated": 1, "moved": 1, "deactivated": 0, "unchanged": 0, "rejected": 2
    }  # fmt: skip
    assert report["ignored_columns"] == ["性别"]
    assert report["rows"]["rejected"] == [
        {"line": 2, "key": "S001",
         "errors": {"unit": ["No unit 'south' under 'north' of the tree."]}},
        {"line": 3, "key": "S001X", "errors": {
            "name": ["Give a name of 1-200 characters."],
            "active": ["'也许' is not one of yes/no, 是/否, 在职/离职, 1/0, true/false."],
            "email": ["'bad-mail' is not an email address."],
            "phone": ["'12' is not a phone number (5-20 digits)."]}},
    ]  # fmt: skip
    (moved,) = report["rows"]["moved"]
    assert moved == {
        "line": 4, "key": "S002", "changes": {
            "unit": {"from": "south", "to": "north/north-ops"},
            "email": {"from": None, "to": "wang@example.cn"},
            "phone": {"from": None, "to": "13800138000"}}}  # fmt: skip
    assert report["rows"]["updated"] == [
        {"line": 5, "key": "S003", "changes": {"active": {"from": False, "to": True}}}
    ]
    assert keys(report, "created") == ["S004", "S005"]
    assert report["rows"]["created"][1]["changes"]["active"] == {"from": None, "to": False}
    assert members(org) == before and len(queue("projection", redis)) == jobs
    assert org.get("/api/v1/audit").get_json()["total"] == 0


def test_apply_does_what_the_dry_run_said_and_a_second_apply_changes_nothing(
    org: FlaskClient, points_app: Any, redis: Redis
) -> None:
    dry = upload(org, ROSTER.encode()).get_json()
    jobs = len(queue("projection", redis))
    applied = upload(org, ROSTER.encode(), "?dry_run=false").get_json()
    assert applied["dry_run"] is False and isinstance(applied["audit_id"], int)
    assert {**applied, "dry_run": True, "audit_id": None} == dry
    now = members(org)
    assert now["S002"] == ("Wang Wei", "north-ops", True)
    assert now["S003"][2] is True and now["S001"] == ("Li Na", "north-ops", True)
    assert now["S004"] == ("钱多多", "north-ops", True) and now["S005"][2] is False
    with points_app.extensions["db"].read() as session:
        wang = session.scalar(select(Member).where(Member.staff_no == "S002"))
        assert (wang.email, wang.phone) == ("wang@example.cn", "13800138000")
    announced = queue("projection", redis).get_jobs()[jobs:]
    assert sorted(job.args[0] for job in announced) == ["S002", "S003", "S004", "S005"]
    (record,) = org.get("/api/v1/audit").get_json()["items"]
    assert record["action"] == "roster_import" and record["id"] == applied["audit_id"]
    assert record["detail"]["counts"] == applied["counts"]
    assert record["detail"]["file"] == "roster.csv" and len(record["detail"]["sha256"]) == 64
    assert [row["key"] for row in record["detail"]["changes"]["moved"]] == ["S002"]

    again = upload(org, ROSTER.encode("utf-8-sig"), "?dry_run=false").get_json()
    assert again["counts"] == {
        "created": 0, "updated": 0, "moved": 0, "deactivated": 0, "unchanged": 4, "rejected": 2
    }  # fmt: skip
    assert members(org) == now
    assert len(queue("projection", redis).get_jobs()) == jobs + 4  # nothing new to announce


def test_a_move_keeps_earned_points_with_the_old_unit(org: FlaskClient, points_app: Any) -> None:
    adjust = {"points": 5, "reason": "before the move"}
    assert org.post("/api/v1/members/S002/adjustments", json=adjust).status_code == 201
    moved = upload(org, b"staff_no,name,unit\nS002,Wang Wei,north-ops\n", "?dry_run=false")
    assert keys(moved.get_json(), "moved") == ["S002"]
    assert org.post("/api/v1/members/S002/adjustments", json=adjust).status_code == 201
    with points_app.extensions["db"].read() as session:
        units = session.execute(
            select(Unit.code)
            .join(LedgerEntry, LedgerEntry.unit_id == Unit.id)
            .order_by(LedgerEntry.id)
        ).scalars()
        assert list(units) == ["south", "north-ops"]


def test_missing_members_are_deactivated_only_when_asked(org: FlaskClient) -> None:
    roster = b"staff_no,name,unit\nS001,Li Na,north-ops\n"
    plain = upload(org, roster, "?dry_run=false").get_json()
    assert plain["counts"]["deactivated"] == 0 and members(org)["S002"][2] is True
    asked = upload(org, roster, "?deactivate_missing=true&dry_run=false").get_json()
    # S003 is already inactive: not listed again.
    assert asked["rows"]["deactivated"] == [
        {"line": None, "key": "S002", "changes": {"active": {"from": True, "to": False}}}
    ]
    assert members(org)["S002"][2] is False
    # A member whose row is rejected is named by the file: never deactivated for a typo.
    typo = b"staff_no,name,unit\nS001,Li Na,nowhere\n"
    kept = upload(org, typo, "?deactivate_missing=true").get_json()
    assert kept["counts"]["deactivated"] == 0 and keys(kept, "rejected") == ["S001"]


def test_a_staff_number_on_several_lines_rejects_them_all_and_names_are_one_line(
    org: FlaskClient,
) -> None:
    roster = b'staff_no,name,unit\nS009,A,south\nS010,B,south\nS009,C,north\nS011,"D\nE",south\n'
    report = upload(org, roster).get_json()
    assert report["rows"]["rejected"] == [
        {"line": line, "key": "S009", "errors": {"staff_no": ["On several lines: 2, 4."]}}
        for line in (2, 4)
    ] + [{"line": 5, "key": "S011", "errors": {"name": [ONE_LINE]}}]
    assert keys(report, "created") == ["S010"]


def test_a_region_s_admin_imports_inside_it_only(org: FlaskClient) -> None:
    roster = (
        b"staff_no,name,unit\n"
        b"S001,Li Na,north\n"  # moved inside north
        b"S002,Wang Wei,north-ops\n"  # a south member: not theirs to move in
        b"S006,New South,south\n"  # outside north
        b"S007,New North,north/north-ops\n"
    )
    query = "?dry_run=false&deactivate_missing=true"
    report = upload(org, roster, query, headers=NORTH_ADMIN).get_json()
    assert report["rows"]["rejected"] == [
        {"line": 3, "key": "S002",
         "errors": {"staff_no": ["S002 is in 'south', outside the units you administer."]}},
        {"line": 4, "key": "S006",
         "errors": {"unit": ["Unit 'south' is outside the units you administer."]}},
    ]  # fmt: skip
    assert keys(report, "moved") == ["S001"] and keys(report, "created") == ["S007"]
    assert report["counts"]["deactivated"] == 0  # south's members are not theirs to deactivate
    now = members(org)
    assert now["S001"][1] == "north" and now["S002"] == ("Wang Wei", "south", True)
    assert "S006" not in now and now["S007"][1] == "north-ops"
    north_only = upload(org, b"staff_no,name,unit\nS007,New North,north-ops\n", query,
                        headers=NORTH_ADMIN).get_json()  # fmt: skip
    assert keys(north_only, "deactivated") == ["S001"]


def test_bad_requests_are_4xx_naming_the_part_and_change_nothing(
    org: FlaskClient, points_app: Any
) -> None:
    before = members(org)
    missing = org.post(PATH, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422
    assert missing.get_json()["errors"] == {"files": {"file": ["Missing data for required field."]}}
    no_unit = upload(org, "工号,姓名\nS001,李娜\n".encode(), "?dry_run=false")
    assert no_unit.status_code == 422
    assert no_unit.get_json()["errors"]["files"]["file"][0].startswith("Missing column(s): unit")
    unclear = upload(org, ROSTER.encode(), "?dry_run=perhaps")
    assert unclear.status_code == 422 and "dry_run" in unclear.get_json()["errors"]["query"]
    garbage = upload(org, b"PK\x03\x04garbage", "?dry_run=false")
    assert garbage.status_code == 422
    points_app.config["SETTINGS"] = points_app.config["SETTINGS"].with_overrides(import_max_rows=3)
    many = upload(org, ROSTER.encode(), "?dry_run=false")
    assert many.status_code == 413 and "3 rows" in many.get_json()["message"]
    assert members(org) == before and org.get("/api/v1/audit").get_json()["total"] == 0
