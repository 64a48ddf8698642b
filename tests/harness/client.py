"""The one HTTP client of the test harness: JSON in and out over a pooled connection, an API
key by default, and every answer as (status, body, headers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

import urllib3


class Reply(NamedTuple):
    status: int
    body: Any
    headers: dict[str, str]


class Client:
    """Requests to ``host`` (the gateway's port unless ``port`` says otherwise), signed with
    the key ``default_key()`` returns unless ``key`` names another; ``key=""`` sends none."""

    def __init__(self, host: str, port: int, default_key: Callable[[], str]) -> None:
        self.host = host
        self.port = port
        self.default_key = default_key
        # No retries: a drill must see the first answer, not one made after a restart.
        self.http = urllib3.PoolManager(maxsize=64, retries=False)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        key: str | None = None,
        port: int | None = None,
        timeout: float = 60,
        **headers: str,
    ) -> Reply:
        key = self.default_key() if key is None else key
        if key:
            headers.setdefault("Authorization", f"Bearer {key}")
        headers.setdefault("Content-Type", "application/json")
        response = self.http.request(
            method,
            f"http://{self.host}:{port or self.port}{path}",
            body=None if body is None else json.dumps(body),
            headers=headers,
            timeout=timeout,
        )
        return _reply(response)

    def upload(
        self,
        path: str,
        filename: str,
        content: bytes,
        key: str | None = None,
        timeout: float = 60,
    ) -> Reply:
        """A file as multipart/form-data in the field ``file`` (an import), JSON back."""
        key = self.default_key() if key is None else key
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        response = self.http.request(
            "POST",
            f"{self.base_url}{path}",
            fields={"file": (filename, content, "application/octet-stream")},
            headers=headers,
            timeout=timeout,
        )
        return _reply(response)


def _reply(response: urllib3.BaseHTTPResponse) -> Reply:
    data = json.loads(response.data) if response.data else None
    return Reply(response.status, data, dict(response.headers))
