"""marshmallow's validation messages in the reader's language, when the request names one;
as they are (English) when it does not, as API clients always had them."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError, fields, validate

from services.common import i18n
from services.common.field_errors import in_reader_language


class Sample(Schema):
    points = fields.Integer(required=True, validate=validate.Range(1, 10))
    title = fields.String(validate=validate.Length(max=5))
    kind = fields.String(validate=validate.OneOf(["quiz", "attendance"]))


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    try:
        Sample().load(data)
    except ValidationError as exc:
        return dict(exc.messages)  # type: ignore[arg-type]
    raise AssertionError("no error")


@pytest.fixture(scope="module")
def app() -> Flask:
    app = Flask(__name__)
    i18n.install(app)
    return app


BAD = {"points": 11, "title": "too long a title", "kind": "x", "extra": 1}


def test_in_chinese_when_asked(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "zh-CN,zh;q=0.9"}):
        said = in_reader_language(errors_of(BAD))
    assert said == {
        "points": ["须在 1 到 10 之间。"],
        "title": ["过长：最多 5 个字符。"],
        "kind": ["须为以下之一：quiz, attendance。"],
        "extra": ["未知字段。"],
    }
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert in_reader_language(errors_of({})) == {"points": ["此项为必填项。"]}


def test_as_they_are_without_the_header_or_in_english(app: Flask) -> None:
    english = errors_of(BAD)
    with app.test_request_context():
        assert in_reader_language(english) == english
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert in_reader_language(english)["points"] == [
            "Must be between 1 and 10."
        ]  # the catalogue's English


def test_our_own_messages_stay_as_they_are(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert in_reader_language({"x": ["A reason is required: members read it."]}) == {
            "x": ["A reason is required: members read it."]
        }
