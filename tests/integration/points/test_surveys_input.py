"""Bad surveys, rounds and answers are refused with a 422 naming the field, and change
nothing; the built-in template is given in the caller's language and can be posted as is."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.integration.points.surveys import (
    ORG_ADMIN,
    QUESTIONS,
    SURVEYS,
    at,
    make_survey,
    open_round,
    organisation,
    reply,
)


def _survey(**changes: Any) -> dict[str, Any]:
    return {"id": "bad", "title": "Bad", "questions": QUESTIONS, **changes}


def _with(question: dict[str, Any]) -> dict[str, Any]:
    return _survey(questions=[question])


def test_bad_surveys_are_refused_naming_the_field(client: FlaskClient) -> None:
    one_option = {"key": "q", "kind": "single", "text": "Q", "options": [{"key": "a", "text": "A"}]}
    cases = {
        "id": _survey(id="bad id"),
        "title": _survey(title=""),
        "questions": _survey(questions=[]),
        "questions.0.kind": _with({"key": "q", "kind": "essay", "text": "Q"}),
        "questions.0.key": _with({"key": "Q 1", "kind": "text", "text": "Q"}),
        "questions.0.options": _with(one_option),
        "questions.0.favourable": _with(
            {"key": "q", "kind": "agree", "text": "Q", "favourable": ["9"]}
        ),
    }
    for field, body in cases.items():
        answer = client.post(SURVEYS, json=body, headers=ORG_ADMIN)
        assert answer.status_code == 422, (field, answer.get_json())
        errors = answer.get_json()["errors"]["json"]
        first, *rest = field.split(".")
        assert first in errors, (field, errors)
        if rest:
            assert rest[1] in errors[first][rest[0]], (field, errors)
    twice = _survey(questions=[QUESTIONS[0], QUESTIONS[0]])
    answer = client.post(SURVEYS, json=twice, headers=ORG_ADMIN)
    assert answer.status_code == 422 and "questions" in answer.get_json()["errors"]["json"]
    assert client.get(SURVEYS, headers=ORG_ADMIN).get_json() == {"items": []}


def test_bad_rounds_and_answers_are_refused_naming_the_field(client: FlaskClient) -> None:
    organisation(client)
    make_survey(client)
    cases = {
        "closes_at": {"closes_at": at(-2)},
        "units": {"units": ["nowhere"]},
        "repeat": {"repeat": "weekly"},
        "opens_at": {"opens_at": "0001-01-01T00:00:00"},
    }
    for field, changes in cases.items():
        body = {"units": ["north"], **changes}
        answer = open_round(client, **body)
        assert answer.status_code == 422, (field, answer.get_json())
        assert field in answer.get_json()["errors"]["json"], (field, answer.get_json())
    assert open_round(client, []).status_code == 422
    assert client.get(f"{SURVEYS}/pulse", headers=ORG_ADMIN).get_json()["rounds"] == []
    assert open_round(client, ["north"]).status_code == 201
    bad = reply(client, "N1", 1, linked=6, often="daily", factors=[], extra="x")
    assert bad.status_code == 422
    errors = bad.get_json()["errors"]["json"]["answers"]
    assert sorted(errors) == ["extra", "factors", "linked", "often"]
    assert reply(client, "N1", 1, linked=4).get_json()["errors"]["json"]["answers"].keys() == {
        "often",
        "factors",
    }
    ok = reply(client, "N1", 1, linked="4", often="weekly", factors=["time", "plan"])
    assert ok.status_code == 201, ok.get_json()
    unknown = client.get(f"{SURVEYS}/nothing/rounds/1/results", headers=ORG_ADMIN)
    assert unknown.status_code == 404
    assert client.get(f"{SURVEYS}/pulse/rounds/9/results", headers=ORG_ADMIN).status_code == 404
    query = client.get(f"{SURVEYS}/pulse/trend?unit=a%20b", headers=ORG_ADMIN)
    assert query.status_code == 422 and "unit" in query.get_json()["errors"]["query"]


def test_the_template_speaks_the_callers_language_and_posts_as_is(client: FlaskClient) -> None:
    chinese = client.get(f"{SURVEYS}/template", headers={**ORG_ADMIN, "Accept-Language": "zh-CN"})
    english = client.get(f"{SURVEYS}/template", headers={**ORG_ADMIN, "Accept-Language": "en"})
    zh, en = chinese.get_json(), english.get_json()
    keys = [q["key"] for q in en["questions"]]
    assert keys == ["plan", "leaders", "atmosphere", "purpose", "linked", "substance", "useful",
                    "factors", "suggestions"]  # fmt: skip
    linked = en["questions"][4]
    assert linked["text"] == "Learning and work are closely linked."
    assert linked["favourable"] == ["4", "5"] and len(linked["options"]) == 5
    assert zh["questions"][4]["text"] == "学习与工作结合紧密。"
    made = client.post(SURVEYS, json={"id": "seed", **zh}, headers=ORG_ADMIN)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["questions"] == zh["questions"]
