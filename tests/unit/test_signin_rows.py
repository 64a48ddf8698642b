"""Reading a sign-in sheet's row: the status words and the time forms offices write."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from services.points.imports.signin_rows import SignIn, parse, read_time
from services.points.imports.tables import Row

ZONE = "Asia/Shanghai"
DAY = datetime(2026, 12, 2, 14, 0, tzinfo=ZoneInfo(ZONE))  # the session's local start


@pytest.mark.parametrize(
    "text",
    ["14:05", "14:05:00", "14：05", "2026-12-02 14:05", "2026/12/2 14:05", "2026.12.02 14:05:00",
     "2026年12月2日 14:05", "2026-12-02T14:05:00", "2026-12-02T06:05:00+00:00"],
)  # fmt: skip
def test_times_as_offices_write_them(text: str) -> None:
    moment = read_time(text, DAY, ZONE)
    assert moment is not None and moment == datetime(2026, 12, 2, 14, 5, tzinfo=ZoneInfo(ZONE))


@pytest.mark.parametrize(
    "text", ["25:99", "noon", "14:05+08:00", "2026-13-01 14:05", "1405x", "0001-01-01 00:00"]
)
def test_what_is_not_a_time(text: str) -> None:
    assert read_time(text, DAY, ZONE) is None


def test_a_row_reads_its_status_words_and_names_each_bad_field() -> None:
    def row(staff_no: str, status: str, time: str = "") -> SignIn | dict[str, list[str]]:
        return parse(Row(2, {"staff_no": staff_no, "status": status, "time": time}), DAY, ZONE)

    assert row("S1", "迟到") == SignIn(2, "S1", "late", None)
    assert row("S1", "On Time") == SignIn(2, "S1", "on_time", None)
    assert row("S1", "请假").status == "excused"  # type: ignore[union-attr]
    assert row("S1", "缺席").status == "absent"  # type: ignore[union-attr]
    assert row("S1", "", "14:05").at == datetime(2026, 12, 2, 14, 5, tzinfo=ZoneInfo(ZONE))  # type: ignore[union-attr]
    assert list(row("S 1", "maybe", "later")) == ["staff_no", "status", "time"]  # type: ignore[arg-type]
    assert row("S1", "") == {"status": ["Give a status or a time."]}
