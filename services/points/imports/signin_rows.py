"""One sign-in sheet row as the sign-in it states, or the reasons it cannot be one (per field).

A row gives a staff number and a status, a time, or both. A status is a word of the API
(on_time, late, excused, absent) or of the sheets offices keep (准时, 迟到, 请假, 缺席 ...).
A time is the local time of the sign-in: a clock time alone (``14:05``) is on the session's
local day; a date and time (``2026-12-02 14:05``, ``2026/12/2 14:05:30``, or ISO 8601 with an
offset, as an XLSX date cell reads) is that moment. With a time and no status, intake derives
the status from the session's start and grace, as for a terminal's sign-in; with a status and
no time, the sign-in is dated at the session's start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from services.common.calendar import zone
from services.points.imports.roster_rows import STAFF_NO
from services.points.imports.tables import Column, Row

COLUMNS = (
    Column("staff_no", ("staff_no", "staff number", "employee id", "employee no", "工号",
                        "员工编号", "员工号", "职工号", "人员编号")),
    Column("status", ("status", "attendance", "签到状态", "状态", "考勤", "考勤状态", "出勤",
                      "出勤情况"), required=False),
    Column("time", ("time", "signed in at", "sign-in time", "签到时间", "时间", "到场时间"),
           required=False),
)  # fmt: skip
STATUS_WORDS = {
    "on_time": ("on_time", "on time", "ontime", "准时", "按时", "正常"),
    "late": ("late", "迟到"),
    "excused": ("excused", "请假"),
    "absent": ("absent", "缺席", "缺勤"),
}
STATUSES = {word: status for status, words in STATUS_WORDS.items() for word in words}
# Offices write dates with '/', '.' or '年月日'; one shape is read after this.
DATE_MARKS = str.maketrans({"/": "-", ".": "-", "年": "-", "月": "-", "日": " ", "：": ":"})
FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class SignIn:
    line: int
    staff_no: str
    status: str | None
    at: datetime | None  # aware; None: the session's start


def parse(row: Row, day: datetime, zone_name: str) -> SignIn | dict[str, list[str]]:
    """``day``: the session's start in the organisation's zone (a clock time is on its day)."""
    values, errors = row.values, {}
    staff_no = values["staff_no"]
    if not STAFF_NO.fullmatch(staff_no):
        errors["staff_no"] = ["Use 1-64 letters, digits, '.', '-' or '_'."]
    text = values.get("status", "")
    status = STATUSES.get(text.lower())
    if text and status is None:
        words = ", ".join(w for words in STATUS_WORDS.values() for w in words)
        errors["status"] = [f"{text!r} is not a status; one of: {words}."]
    clock = values.get("time", "")
    at = read_time(clock, day, zone_name) if clock else None
    if clock and at is None:
        errors["time"] = [f"{clock!r} is not a time (14:05, or 2026-12-02 14:05)."]
    if not text and not clock:
        errors["status"] = ["Give a status or a time."]
    if errors:
        return errors
    return SignIn(row.line, staff_no, status, at)


def read_time(text: str, day: datetime, zone_name: str) -> datetime | None:
    """The moment ``text`` names, or None when it names none (or one no UTC time can hold,
    such as 0001-01-01 00:00 east of Greenwich)."""
    moment = _moment(text, day, zone_name)
    try:
        return None if moment is None else moment.astimezone(UTC)
    except OverflowError:
        return None


def _moment(text: str, day: datetime, zone_name: str) -> datetime | None:
    text = text.translate(DATE_MARKS).replace("T", " ").strip()
    try:
        clock = time.fromisoformat(text)
    except ValueError:
        pass
    else:
        if clock.tzinfo is not None:
            return None  # a clock time with an offset: a sheet never means that
        return datetime.combine(day.date(), clock, tzinfo=zone(zone_name))
    for shape in FORMATS:
        try:
            return datetime.strptime(text, shape).replace(tzinfo=zone(zone_name))
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone(zone_name))
