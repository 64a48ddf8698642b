"""Hand-written bad input, sent through the gateway to the real platform: every answer is a
clear 4xx JSON error (or the documented success), never a 5xx, and nothing bad is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.harness import Platform, quiz

pytestmark = pytest.mark.fuzz

LIMIT = 64 * 1024  # MAX_BODY_BYTES of the fuzzing platform (conftest.py)


def raw(
    platform: Platform,
    method: str,
    path: str,
    body: bytes | None,
    content_type: str = "application/json",
    **headers: str,
) -> tuple[int, Any]:
    response = platform.http.request(
        method,
        f"http://127.0.0.1:{platform.settings.ports['gateway']}{path}",
        body=body,
        headers={
            "Authorization": f"Bearer {platform.admin_key}",
            "Content-Type": content_type,
            **headers,
        },
        timeout=30,
    )
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.data[
        :200
    ]
    return response.status, json.loads(response.data)


def assert_error(status: int, body: Any, *expected: int) -> None:
    assert status in expected, (status, body)
    assert body["code"] == status and body["status"]


def test_an_oversized_body_is_refused_with_413(platform: Platform) -> None:
    body = json.dumps({"events": [quiz(f"big-{i}", "D0000") for i in range(600)]}).encode()
    assert len(body) > LIMIT
    assert_error(*raw(platform, "POST", "/api/v1/events", body), 413)


def test_an_oversized_chunked_body_is_refused_with_413(platform: Platform) -> None:
    chunks = (b"x" * 8192 for _ in range(LIMIT // 8192 + 2))
    response = platform.http.request(
        "POST",
        f"http://127.0.0.1:{platform.settings.ports['gateway']}/api/v1/events",
        body=chunks,
        headers={
            "Authorization": f"Bearer {platform.admin_key}",
            "Content-Type": "application/json",
        },
        chunked=True,
        timeout=30,
    )
    assert response.status == 413, response.data[:200]


@pytest.mark.parametrize("depth", [100, 5_000, 30_000])
def test_deeply_nested_json_is_refused_not_crashed_on(platform: Platform, depth: int) -> None:
    body = ("[" * depth + "]" * depth).encode()
    assert_error(*raw(platform, "POST", "/api/v1/events", body), 400, 413, 422)
    nested = ('{"a":' * depth + "1" + "}" * depth).encode()
    event = json.dumps(quiz("deep", "D0000")).encode()[:-1] + b',"extra":' + nested + b"}"
    assert_error(*raw(platform, "POST", "/api/v1/events", event), 400, 413, 422)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_a_wrong_content_type_is_a_4xx(platform: Platform, content_type: str) -> None:
    body = json.dumps(quiz("ctype", "D0000")).encode()
    assert_error(*raw(platform, "POST", "/api/v1/events", body, content_type), 400, 415, 422)


def test_invalid_utf8_is_a_4xx(platform: Platform) -> None:
    body = b'{"id": "\xff\xfe", "type": "quiz", "member": "D0000"}'
    assert_error(*raw(platform, "POST", "/api/v1/events", body), 400, 422)
    assert_error(
        *raw(platform, "POST", "/api/v1/units", b'{"code": "x\xc3", "name": "y"}'), 400, 422
    )


@pytest.mark.parametrize(
    "score",
    ["1e400", "-1e400", "NaN", "Infinity", "-5", "-0.0001", "1" + "0" * 400, '"95"x'],
)
def test_huge_negative_and_nan_scores_are_refused(platform: Platform, score: str) -> None:
    text = json.dumps(quiz(f"score-{score[:20]}", "D0000")).replace(
        '"score": 95', f'"score": {score}'
    )
    status, body = raw(platform, "POST", "/api/v1/events", text.encode())
    assert_error(status, body, 400, 422)


@pytest.mark.parametrize(
    "occurred_at",
    [
        "0001-01-01T00:00:00+00:00",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59+00:00",
        "2999-01-01T00:00:00+08:00",
        "2026-11-20T09:00:00",
        "2026-02-30T09:00:00Z",
        "yesterday",
        "",
    ],
)
def test_times_far_away_naive_or_invalid_are_refused(platform: Platform, occurred_at: str) -> None:
    event = quiz(f"time-{occurred_at}", "D0000", at=occurred_at)
    status, body, _ = platform.call("POST", "/api/v1/events", event, platform.sender_key)
    assert_error(status, body, 422)
    assert "occurred_at" in json.dumps(body)


def test_unknown_fields_are_refused_by_name(platform: Platform) -> None:
    status, body, _ = platform.call(
        "POST", "/api/v1/events", {**quiz("unknown", "D0000"), "bonus": 1000}, platform.sender_key
    )
    assert_error(status, body, 422)
    assert "bonus" in json.dumps(body)
    status, body, _ = platform.call(
        "POST", "/api/v1/units", {"code": "x1", "name": "X", "admin": True}
    )
    assert_error(status, body, 422)


INJECTIONS = [
    "'; DROP TABLE points_members; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "../../internal/v1/outbox",
    "lb:{org:all:total}",
    "$(rm -rf /)",
    "%00\x00null",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_looking_ids_are_stored_verbatim_or_refused(
    platform: Platform, text: str
) -> None:
    # An event id is any text of 1-128 characters: each of these is stored as written.
    event = quiz(text, "D0001")
    status, body, _ = platform.call("POST", "/api/v1/events", event, platform.sender_key)
    assert status == 201, body
    assert body["event"]["id"] == text  # data, never code
    again, replay, _ = platform.call("POST", "/api/v1/events", event, platform.sender_key)
    assert again == 200 and replay["duplicate"] is True
    # Names may hold any text, returned as written; codes and staff numbers are refused.
    status, body, _ = platform.call(
        "POST", "/api/v1/members", {"staff_no": text, "name": "x", "unit": "south"}
    )
    assert_error(status, body, 422)
    name = text.replace("\x00", "")
    status, body, _ = platform.call("PATCH", "/api/v1/members/D0002", {"name": name})
    assert status == 200 and body["name"] == name, body
    status, body, _ = platform.call("GET", f"/api/v1/leaderboard?scope=unit:{text}")
    assert_error(status, body, 404, 422)


def test_paths_that_climb_out_of_the_api_are_404(platform: Platform) -> None:
    for path in [
        "/api/v1/members/../../internal/v1/outbox",
        "/api/v1/members/%2e%2e/%2e%2e/internal/v1/outbox",
    ]:
        status, body, _ = platform.call("GET", path)
        assert_error(status, body, 404)


def test_one_bad_event_in_a_batch_is_reported_by_position_and_the_rest_recorded(
    platform: Platform,
) -> None:
    good = [quiz(f"mixed-{i}", "D0000") for i in range(5)]
    bad = {**quiz("mixed-bad", "D0000"), "data": {"quiz": "q", "score": -1, "max_score": 100}}
    events = good[:2] + [bad] + good[2:]
    status, body = platform.post_events(events)
    assert status == 207, body
    assert body["accepted"] == 5 and body["rejected"] == 1
    assert [r["status"] for r in body["results"]] == [201, 201, 422, 201, 201, 201]
    assert "score" in json.dumps(body["results"][2])
    status, body = platform.post_events(events)  # the retry: the good ones are replays
    assert status == 207 and body["duplicates"] == 5, body
