"""Exports for inspections, on a real database: every figure of the XLSX, the PDF's text and
the CSVs read back against the organisation of ``exports_help`` (figures by hand there), and
names that look like formulas coming out as text."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader

from services.points.exports.jobs import run_with
from services.settings import Settings
from tests.integration.points.exports_help import build_organisation, finished, period, start
from tests.integration.points.sessions_help import ORG_ADMIN

SUMMARY = [
    ["项目", "数值"],
    ["单位", "North"],
    ["单位代码", "north"],
    ["统计期间", None],  # the period: checked apart, it moves with today
    ["人数", 3],
    ["总积分", 16],
    ["人均积分", 5.33],
    ["活跃人数", 2],
    ["活跃率（%）", 66.7],
]
MEMBERS = [
    ["工号", "姓名", "单位", "出勤", "实践", "测验", "总积分"],
    ["N02", "=1+1", "North operations", 0, 0, 3, 3],
    ["N03", "@SUM(A1)", "North", -3, 0, 0, -3],
    ["S001", "Li Na", "North operations", 2, 8, 6, 16],
]
SESSIONS_HEAD = [
    "学习场次",
    "开始时间",
    "应到",
    "实到",
    "迟到",
    "请假",
    "缺勤",
    "尚无记录",
    "出勤率（%）",
]
SESSIONS_ROW = ["法治专题学习", 3, 2, 1, 0, 1, 0, 66.7]  # without the start time
QUIZZES_HEAD = [
    "测验",
    "开始时间",
    "应参加",
    "参加人数",
    "平均分",
    "平均得分率（%）",
    "及格人数",
    "掌握（≥90%）",
]
QUIZZES_ROW = ["党章知识测验", 3, 2, 37.5, 75.0, 2, 1]
REPORTS = [
    ["状态", "报告数"], ["草稿", 1], ["已提交", 0], ["审核中", 0], ["已退回", 0], ["已通过", 1],
    ["未通过", 0], ["合计", 2],
]  # fmt: skip
EXEMPLARY_HEAD = ["标题", "作者", "评级", "得分", "通过时间"]
EXEMPLARY_ROW = ["Filing appeals in one visit", "Li Na", "A", 100.0]


@pytest.fixture
def built(org: FlaskClient, points_settings: Settings) -> FlaskClient:
    build_organisation(org)
    return org


# The funnel of north (all, leaders, staff; no one is marked a leader), by hand from the
# organisation in exports_help: 3 members all expected at the session, Li Na on time and
# "=1+1" late (2 of 3: 66.7 %), both took the quiz and Li Na mastered it (45 of 50), her report
# submitted, approved and exemplary; 16 points over the 8 days of the period: 16 / 3 / 8 =
# 0.67 a member and day; active: Li Na and "=1+1" (the absent "@SUM(A1)" only lost points).
FUNNEL = [
    [3, 0, 3], [3, 0, 3], [2, 0, 2], [66.7, None, 66.7], [2, 0, 2], [1, 0, 1], [1, 0, 1],
    [1, 0, 1], [1, 0, 1], [16, 0, 16], [0.67, None, 0.67], [2, 0, 2], [66.7, None, 66.7],
]  # fmt: skip


def values(sheet: object) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def test_the_xlsx_holds_every_figure_with_styled_frozen_headings_and_a_chart(
    built: FlaskClient, points_settings: Settings
) -> None:
    book = load_workbook(io.BytesIO(finished(built, points_settings, "xlsx")))
    assert book.sheetnames == [
        "概况", "成员积分", "从全体人员到优秀实践", "学习活动", "测验", "实践报告", "优秀实践报告"
    ]  # fmt: skip
    starts, ends = period(points_settings)
    summary = values(book["概况"])
    assert summary[3][1] == f"{starts.isoformat()} – {ends.isoformat()}"
    summary[3][1] = None
    assert summary == SUMMARY
    assert values(book["成员积分"]) == MEMBERS
    funnel = values(book["从全体人员到优秀实践"])
    assert funnel[0] == ["指标", "全部", "领导", "职工"]
    assert [row[1:] for row in funnel[1:]] == FUNNEL
    sessions = values(book["学习活动"])
    assert sessions[0] == SESSIONS_HEAD and len(sessions) == 2  # south's session left out
    assert [sessions[1][0], *sessions[1][2:]] == SESSIONS_ROW
    assert datetime.strptime(str(sessions[1][1]), "%Y-%m-%d %H:%M")
    quizzes = values(book["测验"])
    assert quizzes[0] == QUIZZES_HEAD and [quizzes[1][0], *quizzes[1][2:]] == QUIZZES_ROW
    assert values(book["实践报告"]) == REPORTS
    exemplary = values(book["优秀实践报告"])
    assert exemplary[0] == EXEMPLARY_HEAD and exemplary[1][:4] == EXEMPLARY_ROW
    members = book["成员积分"]
    assert members.freeze_panes == "A2" and members["A1"].font.bold
    assert members.column_dimensions["C"].width >= len("North operations")
    for cell in (members["B2"], members["B3"]):  # "=1+1" and "@SUM(A1)": text, never formulas
        assert cell.data_type == "s" and cell.quotePrefix
    [chart] = book["学习活动"]._charts
    assert len(chart.series) == 2  # expected and attended, per session


def test_the_csv_zip_has_one_csv_per_table_with_a_bom_and_guarded_formulas(
    built: FlaskClient, points_settings: Settings
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(finished(built, points_settings, "csv")))
    names = ["01-summary", "02-members", "03-funnel", "04-sessions", "05-quizzes", "06-reports"]
    names.append("07-exemplary")
    assert archive.namelist() == [f"{n}.csv" for n in names]
    raw = archive.read("02-members.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == MEMBERS[0]
    assert rows[1] == ["N02", "'=1+1", "North operations", "0", "0", "3", "3"]
    assert rows[2] == ["N03", "'@SUM(A1)", "North", "-3", "0", "0", "-3"]  # numbers stay numbers
    reports = list(csv.reader(io.StringIO(archive.read("06-reports.csv").decode("utf-8-sig"))))
    assert reports == [[str(v) for v in row] for row in REPORTS]


def test_the_pdf_has_a_cover_and_every_table(built: FlaskClient, points_settings: Settings) -> None:
    reader = PdfReader(io.BytesIO(finished(built, points_settings, "pdf")))
    cover = reader.pages[0].extract_text()
    starts, ends = period(points_settings)
    assert "学习情况报告" in cover and "North" in cover and starts.isoformat() in cover
    assert ends.isoformat() in cover
    text = "\n".join(page.extract_text() for page in reader.pages[1:])
    for expected in ("概况", "成员积分", "法治专题学习", "党章知识测验", "优秀实践报告", "=1+1"):
        assert expected in text, expected
    assert "66.7" in text and "5.33" in text and "37.5" in text


def test_an_export_in_english(built: FlaskClient, points_settings: Settings) -> None:
    book = load_workbook(io.BytesIO(finished(built, points_settings, "xlsx", language="en")))
    assert book.sheetnames[:2] == ["Summary", "Members' points"]
    assert values(book["Members' points"])[0][3:] == [
        "Attendance",
        "Practice",
        "Quizzes",
        "Total points",
    ]


def test_the_file_s_name_is_chinese_through_rfc_5987(
    built: FlaskClient, points_settings: Settings
) -> None:
    export_id = start(built, points_settings, "xlsx")
    run_with(points_settings, export_id)
    answer = built.get(f"/api/v1/exports/{export_id}/file", headers=ORG_ADMIN)
    disposition = answer.headers["Content-Disposition"]
    starts, ends = period(points_settings)
    assert disposition.startswith("attachment;")
    name = f"学习情况报告-North-{starts.isoformat()}-{ends.isoformat()}.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert answer.mimetype.endswith("spreadsheetml.sheet")
