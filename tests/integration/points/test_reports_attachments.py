"""Files attached to practice reports: the kind checked by the content's first bytes, a size
limit, and downloads only for those who may read the report."""

from __future__ import annotations

import io
import zipfile

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.integration.points.reports import AUTHOR, NORTH, OTHER, SOUTH_REVIEWER, draft, rubric

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def upload(
    client: FlaskClient, report: int, data: bytes, kind: str, name: str = "f"
) -> TestResponse:
    return client.post(
        f"/api/v1/reports/{report}/attachments?name={name}",
        data=data,
        headers={**AUTHOR, "Content-Type": kind},
    )


def test_files_are_taken_by_their_content_and_downloaded_by_readers(org: FlaskClient) -> None:
    report = draft(org)
    pdf = upload(org, report, PDF, "application/pdf", "notes.pdf")
    assert pdf.status_code == 201 and pdf.get_json()["size"] == len(PDF)
    assert upload(org, report, office("word/document.xml"), DOCX_TYPE, "a.docx").status_code == 201
    assert upload(org, report, PNG, "image/png", "chart.png").status_code == 201
    shown = org.get(f"/api/v1/reports/{report}", headers=AUTHOR).get_json()["attachments"]
    assert [a["name"] for a in shown] == ["notes.pdf", "a.docx", "chart.png"]
    path = f"/api/v1/reports/{report}/attachments/{pdf.get_json()['id']}"
    got = org.get(path, headers=AUTHOR)
    assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
    assert "notes.pdf" in got.headers["Content-Disposition"]
    assert org.get(path, headers=OTHER).status_code == 403  # a draft: its author's alone
    rubric(org)
    assert org.post(f"/api/v1/reports/{report}/submit", headers=AUTHOR).status_code == 200
    assert org.get(path, headers=NORTH[0]).data == PDF
    assert org.get(path, headers=SOUTH_REVIEWER).status_code == 403
    late = upload(org, report, PDF, "application/pdf")
    assert late.status_code == 409 and "submitted" in late.get_json()["message"]
    assert org.delete(path, headers=AUTHOR).status_code == 409


def test_a_file_that_is_not_what_it_says_or_too_large_is_refused(org: FlaskClient) -> None:
    report = draft(org)
    for data, kind in (
        (b"MZ\x90\x00 an executable", "application/pdf"),  # claims PDF
        (PNG, "application/pdf"),  # a PNG declared as PDF
        (b"<script>alert(1)</script>", "text/html"),
        (office("other/thing.xml"), DOCX_TYPE),  # a zip, but no Word document in it
        (b"PK\x03\x04 broken", DOCX_TYPE),
    ):
        refused = upload(org, report, data, kind)
        assert refused.status_code == 422, kind
        assert "Content-Type" in refused.get_json()["errors"]["headers"]
    assert upload(org, report, b"", "application/pdf").status_code == 422
    assert upload(org, report, PDF, "application/pdf", "a/b.pdf").status_code == 422
    big = PDF + b"0" * (1024 * 1024)
    assert upload(org, report, big, "application/pdf").status_code == 413
    assert org.get(f"/api/v1/reports/{report}", headers=AUTHOR).get_json()["attachments"] == []


def test_only_the_author_attaches_and_removes_files(org: FlaskClient) -> None:
    report = draft(org)
    stranger = org.post(
        f"/api/v1/reports/{report}/attachments?name=x.pdf",
        data=PDF,
        headers={**OTHER, "Content-Type": "application/pdf"},
    )
    assert stranger.status_code == 403
    added = upload(org, report, PDF, "application/pdf", "x.pdf").get_json()["id"]
    path = f"/api/v1/reports/{report}/attachments/{added}"
    assert org.delete(path, headers=OTHER).status_code == 403
    assert org.delete(path, headers=AUTHOR).status_code == 204
    assert org.get(path, headers=AUTHOR).status_code == 404
