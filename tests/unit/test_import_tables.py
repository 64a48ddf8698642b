"""The table reader on the files HR offices send: UTF-8 with and without the byte-order mark,
GB18030 with Chinese names, XLSX made here with openpyxl; header aliases; bad files."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from services.common.errors import PayloadTooLarge, Unprocessable
from services.points.imports.roster_rows import COLUMNS
from services.points.imports.tables import Limits, Table, read_table

LIMITS = Limits(max_bytes=100_000, max_rows=50)
CHINESE = "工号,姓名,部门,手机,在职\nS001,李娜,北区/销售部,138 0013 8000,是\nS002,王伟,南区,,离职\n"


def read(data: bytes, **options: str | None) -> Table:
    return read_table(data, COLUMNS, LIMITS, **options)


def values(table: Table) -> list[tuple[int, dict[str, str]]]:
    return [(row.line, row.values) for row in table.rows]


def file_errors(excinfo: pytest.ExceptionInfo[Unprocessable]) -> list[str]:
    assert excinfo.value.errors is not None
    messages: list[str] = excinfo.value.errors["files"]["file"]
    return messages


def workbook(*rows: list[object], title: str = "Sheet", extra: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra:
        book.create_sheet(extra).append(["nothing", "here"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_chinese_csv_reads_the_same_in_every_encoding_office_software_writes(
    encoding: str,
) -> None:
    table = read(CHINESE.encode(encoding))
    assert table.columns == ["staff_no", "name", "unit", "phone", "active"]
    assert values(table) == [
        (2, {"staff_no": "S001", "name": "李娜", "unit": "北区/销售部",
             "phone": "138 0013 8000", "active": "是"}),
        (3, {"staff_no": "S002", "name": "王伟", "unit": "南区", "phone": "", "active": "离职"}),
    ]  # fmt: skip


def test_an_explicit_encoding_wins_and_an_unknown_one_is_named() -> None:
    big5 = "工號,姓名,部門\n".encode("big5")  # not GB18030 text: decoded as told
    with pytest.raises(Unprocessable) as excinfo:
        read(big5, encoding="big5")
    assert "Missing column" in file_errors(excinfo)[0]
    with pytest.raises(Unprocessable) as unknown:
        read(CHINESE.encode(), encoding="klingon")
    assert unknown.value.errors == {"query": {"encoding": ["Unknown encoding 'klingon'."]}}
    with pytest.raises(Unprocessable):
        read(CHINESE.encode(), encoding="utf\0-8")
    for codec in ("rot13", "base64"):
        with pytest.raises(Unprocessable) as not_text:
            read(CHINESE.encode(), encoding=codec)
        assert not_text.value.errors == {
            "query": {"encoding": [f"{codec!r} is not a text encoding."]}
        }
    with pytest.raises(Unprocessable):
        read(CHINESE.encode(), encoding="undefined")  # a codec that refuses everything
    with pytest.raises(Unprocessable) as wrong:
        read(CHINESE.encode("gb18030"), encoding="utf-8")
    assert "not text in utf-8" in file_errors(wrong)[0]


def test_english_headers_any_order_extra_columns_blank_lines_and_quoted_cells() -> None:
    text = (
        "\n"
        "Gender;*Staff No;Unit Path;Full Name\n"
        'f;S001;north > sales;"Li; Na"\n'
        "\n"
        ";;;\n"
        'm;S002;south;"Wang\nWei"\n'
        "m;S003;south\n"
    )
    table = read(text.encode())
    assert table.columns == ["staff_no", "unit", "name"] and table.ignored == ["Gender"]
    assert values(table) == [
        (3, {"staff_no": "S001", "unit": "north > sales", "name": "Li; Na"}),
        (6, {"staff_no": "S002", "unit": "south", "name": "Wang\nWei"}),
        (8, {"staff_no": "S003", "unit": "south", "name": ""}),  # a short row: blanks
    ]


def test_xlsx_first_or_named_sheet_numbers_as_text_and_row_numbers_of_the_sheet() -> None:
    data = workbook(
        ["姓名", "工号", "单位路径", "手机"],
        ["李娜", 1001, "north", 13800138000],
        [],
        ["王伟", 1002.0, "south", None],
        title="名单",
        extra="说明",
    )
    for sheet in (None, "名单"):
        table = read(data, sheet=sheet)
        assert values(table) == [
            (2, {"name": "李娜", "staff_no": "1001", "unit": "north", "phone": "13800138000"}),
            (4, {"name": "王伟", "staff_no": "1002", "unit": "south", "phone": ""}),
        ]
    with pytest.raises(Unprocessable) as missing:
        read(data, sheet="Sheet9")
    assert missing.value.errors == {"query": {"sheet": ["No sheet 'Sheet9'; has: 名单, 说明."]}}
    with pytest.raises(Unprocessable) as other:
        read(data, sheet="说明")
    assert "Missing column" in file_errors(other)[0]


def test_a_missing_column_is_named_with_the_headers_that_mean_it() -> None:
    with pytest.raises(Unprocessable) as excinfo:
        read("工号,姓名\nS001,李娜\n".encode())
    (message,) = file_errors(excinfo)
    assert message.startswith("Missing column(s): unit (one of: unit, unit path")
    assert "部门" in message and "staff_no" not in message
    with pytest.raises(Unprocessable) as twice:
        read("工号,staff_no,姓名,部门\n".encode())
    assert file_errors(twice) == ["Two columns mean 'staff_no': '工号' and 'staff_no'."]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b" \r\n\n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Old .xls"),
        (b"PK\x03\x04 not really a zip", "neither CSV text nor"),
        (b"\xff\xfe\xfa", "not text in utf-16"),
        (b"\x81\x30\x81", "not text in utf-8-sig nor gb18030"),
    ],
)
def test_unreadable_files_are_422_saying_why(data: bytes, says: str) -> None:
    with pytest.raises(Unprocessable) as excinfo:
        read(data)
    assert says in file_errors(excinfo)[0]


def test_a_cell_over_the_csv_field_limit_is_named_by_its_line() -> None:
    data = b"staff_no,name,unit\nS1,n,north\nS2," + b"x" * 200_000 + b",north\n"
    with pytest.raises(Unprocessable) as excinfo:
        read_table(data, COLUMNS, Limits(max_bytes=300_000, max_rows=50))
    assert file_errors(excinfo)[0].startswith("Line 3: the CSV cannot be read (field larger")


def test_a_zip_that_is_no_workbook_and_a_csv_with_a_sheet_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(Unprocessable) as excinfo:
        read(out.getvalue())
    assert "not a readable XLSX" in file_errors(excinfo)[0]
    with pytest.raises(Unprocessable) as sheet:
        read(CHINESE.encode(), sheet="Sheet1")
    assert sheet.value.errors == {"query": {"sheet": ["A CSV file has no sheets."]}}


def test_limits_on_the_file_the_rows_and_what_a_workbook_unpacks_to() -> None:
    rows = "staff_no,name,unit\n" + "".join(f"S{i},n,north\n" for i in range(51))
    with pytest.raises(PayloadTooLarge, match="more than the limit of 50 rows"):
        read(rows.encode())
    assert len(read(rows.rsplit("S50", 1)[0].encode()).rows) == 50
    with pytest.raises(PayloadTooLarge, match="larger than the limit of 100000 bytes"):
        read(b"staff_no,name,unit\n" + b"x" * 100_000)
    out = io.BytesIO()  # a small file that unpacks to far more than 50 times the file limit
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "a" * 6_000_000)
    assert len(out.getvalue()) < 100_000
    with pytest.raises(PayloadTooLarge, match="unpacks to more than"):
        read(out.getvalue())
