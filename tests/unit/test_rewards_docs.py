"""The examples in docs/rules.md are what the code accepts and answers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from marshmallow import ValidationError

from services.rewards.document.validate import DocumentSchema
from services.rules.pricing import price
from tests.rules_examples import default_rule, default_with

RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def json_blocks() -> list[Any]:
    text = RULES_MD.read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


DOCUMENTS = [block for block in json_blocks() if "event_types" in block]


def test_the_page_has_its_examples() -> None:
    assert len(DOCUMENTS) == 3 and len(json_blocks()) == 4


@pytest.mark.parametrize("example", DOCUMENTS, ids=["full", "agency", "agency-engine"])
def test_document_examples_are_accepted_as_written(example: dict[str, Any]) -> None:
    assert DocumentSchema().load(example) == example


def test_the_agency_example_prices_as_the_page_says() -> None:
    agency = DocumentSchema().load(DOCUMENTS[1])

    def points(event_type: str, data: dict[str, Any]) -> int:
        return price(event_type, data, agency, 2).points

    assert points("attendance", {"status": "late"}) == -1
    assert points("attendance", {"status": "absent"}) == -5
    assert points("quiz", {"score": 100, "max_score": 100}) == 12
    assert points("quiz", {"score": 59, "max_score": 100}) == -2
    assert points("practice_report", {"rating": "excellent"}) == 15
    assert points("online_course", {"length": "long"}) == 3


def test_the_error_example_is_what_the_service_answers() -> None:
    bands = [{"min_percent": 100, "points": 10}, {"min_percent": 190, "points": 6}]
    statuses = {"on_time": 2, "late": 0, "absent": -3}
    bad = default_with(
        quiz=default_rule("quiz", score_bands=bands),
        attendance=default_rule("attendance", points=statuses),
    )
    with pytest.raises(ValidationError) as caught:
        DocumentSchema().load(bad)
    answered = json.loads(json.dumps({"document": caught.value.messages}))
    documented = next(block for block in json_blocks() if "errors" in block)
    assert answered == documented["errors"]["json"]
