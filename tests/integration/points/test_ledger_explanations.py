"""A member's ledger explains each entry in the reader's language (Accept-Language), zh-CN when
none or an unknown one is asked for; the English reason stays the record."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def quiz() -> dict:
    return {
        "id": "q-1",
        "type": "quiz",
        "member": "S001",
        "occurred_at": "2026-11-20T10:00:00+08:00",
        "data": {"quiz": "law-101", "score": 92, "max_score": 100},
    }


ZH = "测验得分 92/100 ≥ 90%：+6 分（规则 v1）"
EN = "Quiz score 92/100 ≥ 90%: +6 points (rule set v1)"
RECORD = "Quiz score 92/100 >= 90%: +6 points (rule set v1)"


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ({"Accept-Language": "zh-CN"}, ZH),
        ({"Accept-Language": "en"}, EN),
        ({"Accept-Language": "en-GB,en;q=0.8"}, EN),
        ({}, ZH),
        ({"Accept-Language": "fr-FR"}, ZH),
        ({"Accept-Language": "zh-TW,zh;q=0.9"}, ZH),
    ],
)
def test_the_ledger_explains_in_the_readers_language(
    org: FlaskClient, asked: dict[str, str], expected: str
) -> None:
    assert org.post("/api/v1/events", json=quiz()).status_code == 201
    answer = org.get("/api/v1/members/S001/ledger", headers=asked)
    assert answer.status_code == 200
    [entry] = answer.get_json()["items"]
    assert (entry["explanation"], entry["reason"]) == (expected, RECORD)


def test_the_intake_answer_explains_too(org: FlaskClient) -> None:
    answer = org.post("/api/v1/events", json=quiz(), headers={"Accept-Language": "en"})
    assert answer.get_json()["entries"][0]["explanation"] == EN
