"""The pages' small parts that need no platform: where a sign-in may send a person back to,
and the catch-up line said in the reader's language from the leaderboard's structured answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from gateway.pages.catch_up import line
from gateway.pages.visitor import local_path
from services.common import i18n


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/board?scope=org", "/board?scope=org"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("//elsewhere.example/", "/"),
        ("https://elsewhere.example/", "/"),
        ("/\\elsewhere.example", "/"),
        ("board", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_stays_on_the_site(target: str | None, expected: str) -> None:
    assert local_path(target) == expected


@pytest.fixture(scope="module")
def app() -> Flask:
    app = Flask(__name__)
    i18n.install(app)
    return app


@pytest.fixture(params=["zh-CN", "en"])
def language(request: pytest.FixtureRequest, app: Flask) -> Iterator[str]:
    with app.test_request_context(headers={"Accept-Language": request.param}):
        yield request.param


def room(**awards: int) -> dict[str, Any]:
    return {"event_types": {kind: {"best_award": points} for kind, points in awards.items()}}


BEHIND = {"rank": 5, "next": {"rank": 4, "gap": 3}}


@pytest.mark.parametrize(
    ("catch_up", "zh", "en"),
    [
        ({**BEHIND, "remaining_today": room(quiz=5, attendance=2)},
         "落后第 4 名 3 分；今天的测验还能得 5 分",
         "3 points behind #4; today's quiz can still earn 5"),
        ({**BEHIND, "remaining_today": room(quiz=0)}, "落后第 4 名 3 分", "3 points behind #4"),
        ({**BEHIND, "remaining_today": None}, "落后第 4 名 3 分", "3 points behind #4"),
        ({"rank": 1, "next": None, "remaining_today": None}, "你在榜首", "You lead this board"),
        ({"rank": None, "next": None, "remaining_today": room(attendance=2)},
         "你还没有上榜；今天的出勤还能得 2 分",
         "You are not on this board yet; today's attendance can still earn 2"),
        (None, "", ""),
    ],
)  # fmt: skip
def test_the_catch_up_line(
    language: str, catch_up: dict[str, Any] | None, zh: str, en: str
) -> None:
    assert line(catch_up) == (zh if language == "zh-CN" else en)
