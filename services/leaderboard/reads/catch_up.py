"""Catch-up: the gap to the next rank and what the member can still earn today under the caps,
in numbers and in words ("3 points behind #4; today's quiz can still earn 5").

What remains today is the points service's answer (``GET /internal/v1/members/<staff_no>/
remaining-today``, where the caps' usage lives), asked with a short timeout. When the points
service is down, slow, broken or does not know the member, catch-up still answers: with
``remaining_today`` null and the reason in ``remaining_today_unavailable``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from services.common.errors import ApiError
from services.common.http import ServiceClient, UpstreamError
from services.common.signing import Signer
from services.leaderboard.keys import TOTAL
from services.settings import Settings

# Catch-up waits at most this long for the points service (seconds), then answers without it.
POINTS_TIMEOUT = 1.0
POINTS_CONNECT_TIMEOUT = 0.5


def points_client(settings: Settings, signer: Signer) -> ServiceClient:
    return ServiceClient(
        "points",
        settings.url_of("points"),
        POINTS_TIMEOUT,
        connect_timeout=POINTS_CONNECT_TIMEOUT,
        signer=signer,
    )


def remaining_today(
    client: ServiceClient, staff_no: str, category: str
) -> tuple[dict[str, Any] | None, str | None]:
    """(what the member can still earn today that counts on the board, None), or (None, why
    it is not known)."""
    path = f"/internal/v1/members/{quote(staff_no, safe='')}/remaining-today"
    try:
        found: dict[str, Any] = client.get(path)
    except UpstreamError as exc:
        if exc.status == 404:
            return None, "The points service does not know this member."
        return None, exc.message or f"The points service refused the request ({exc.status})."
    except ApiError as exc:  # down (503), slow (504) or a broken answer (502)
        return None, exc.message or "The points service failed."
    return for_board(found, category), None


def for_board(remaining: dict[str, Any], category: str) -> dict[str, Any]:
    """Only what counts on the board: everything on ``total``, else that category's part."""
    if category == TOTAL:
        return remaining
    return {
        **remaining,
        "event_types": {
            name: room
            for name, room in remaining["event_types"].items()
            if room["category"] == category
        },
        "categories": {
            name: room for name, room in remaining["categories"].items() if name == category
        },
    }


def message(
    rank: int | None, target: dict[str, Any] | None, remaining: dict[str, Any] | None
) -> str:
    """The catch-up in words, from the numbers: where the member stands, then the best award
    still open today (the largest ``best_award``, ties by event type name)."""
    if rank is None:
        said = "Not on this board yet"
    elif target is None:
        said = "Top of the board"
    else:
        gap = target["gap"]
        said = f"{gap} point{'' if gap == 1 else 's'} behind #{target['rank']}"
    if remaining is None or not remaining["event_types"]:
        return said
    name, room = min(
        remaining["event_types"].items(), key=lambda item: (-item[1]["best_award"], item[0])
    )
    if room["best_award"] <= 0:
        return f"{said}; nothing more to earn today under the caps"
    return f"{said}; today's {name.replace('_', ' ')} can still earn {room['best_award']}"
