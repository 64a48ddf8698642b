"""The signed internal hop: proof that a request to a service came from the platform itself.

Whoever calls a service (the gateway forwarding a client's request, one service asking
another) adds one header, ``t=<unix seconds>,v1=<hex HMAC-SHA256>``, computed with the
platform's shared secret over the method, the path, the query string, the timestamp and the
identity headers (who is calling, with which scopes, for whom). The service recomputes it and
refuses the request unless the two match and the timestamp is within ``SKEW_SECONDS`` of its
own clock. A stranger who reaches a service's port directly cannot forge the header, and a
signed request's identity cannot be edited on the way: every covered header is in the HMAC.

The body is not covered: the hop runs on loopback (or a private network), and whoever can
read or rewrite traffic there can read the secret too. A captured request can be replayed
unchanged within the skew; nothing in it can be altered.

Which header carries the signature and which headers it covers are the caller's to name
(``services.contracts``): this module knows no header of the platform.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from urllib3.util import parse_url

from services.common.private import secret_in

SKEW_SECONDS = 60
VERSION = "v1"


class Headers(Protocol):
    """A dict of headers or the framework's own (names matched whatever their case)."""

    def items(self) -> Iterable[tuple[str, str]]: ...


def canonical(method: str, path: str, query: str, timestamp: int, values: Sequence[str]) -> bytes:
    """What the HMAC covers, unambiguously (a JSON list: no field can bleed into the next)."""
    return json.dumps([method.upper(), path, query, timestamp, *values]).encode()


def signature(
    secret: bytes, method: str, path: str, query: str, timestamp: int, values: Sequence[str]
) -> str:
    """The header value for one request: ``t=<timestamp>,v1=<hex digest>``."""
    message = canonical(method, path, query, timestamp, values)
    return f"t={timestamp},{VERSION}={hmac.new(secret, message, hashlib.sha256).hexdigest()}"


def verify(
    secret: bytes,
    value: str | None,
    request: tuple[str, str, str],
    values: Sequence[str],
    *,
    now: float | None = None,
    skew: int = SKEW_SECONDS,
) -> str | None:
    """None when ``value`` signs ``request`` (method, path, query) and ``values``; else why not."""
    if not value:
        return "no signature"
    fields = dict(part.partition("=")[::2] for part in value.split(","))
    stamp, digest = fields.get("t", ""), fields.get(VERSION, "")
    if not (stamp.isascii() and stamp.isdigit() and digest):
        return "a malformed signature"
    timestamp = int(stamp)
    if abs((time.time() if now is None else now) - timestamp) > skew:
        return "an expired signature"
    expected = signature(secret, *request, timestamp, values)
    if not hmac.compare_digest(expected.encode(), f"t={stamp},{VERSION}={digest}".encode()):
        return "a signature that does not match"
    return None


def wire_target(target: str) -> str:
    """``path?query`` exactly as the HTTP client will send it (invalid characters escaped).

    The service checks the query string it receives byte for byte, so the signer signs the
    form the client puts on the wire rather than the one it was handed.
    """
    return parse_url("http://signed" + target).request_uri


def request_parts(target: str) -> tuple[str, str]:
    """(path, query) of a wire target as the service sees them: the path decoded, the query
    string raw, as a WSGI server and the framework hand them over."""
    path, _, query = target.partition("?")
    return "/" + unquote(path, errors="replace").lstrip("/"), query


@dataclass(frozen=True)
class Signer:
    """Signs and checks requests with one secret, in one header, over the named headers."""

    secret: bytes
    header: str
    covered: tuple[str, ...]
    skew: int = SKEW_SECONDS

    def values(self, headers: Headers) -> list[str]:
        return self._values(_lowered(headers))

    def _values(self, lowered: Mapping[str, str]) -> list[str]:
        return [lowered.get(name.lower(), "") for name in self.covered]

    def signed(
        self, method: str, target: str, headers: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """``headers`` with this request's signature added (any other one dropped).

        ``target`` must be the wire form (``wire_target``)."""
        kept = {k: v for k, v in (headers or {}).items() if k.lower() != self.header.lower()}
        path, query = request_parts(target)
        kept[self.header] = self.sign(method, path, query, kept)
        return kept

    def sign(self, method: str, path: str, query: str, headers: Headers) -> str:
        """The signature of a request given as the service will see it (path decoded)."""
        return signature(self.secret, method, path, query, int(time.time()), self.values(headers))

    def check(self, method: str, path: str, query: str, headers: Headers) -> str | None:
        """None when the request carries a valid signature, else the reason it does not."""
        lowered = _lowered(headers)
        sent = lowered.get(self.header.lower())
        values = self._values(lowered)
        return verify(self.secret, sent, (method, path, query), values, skew=self.skew)


def _lowered(headers: Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def load_or_create_secret(path: Path) -> bytes:
    """The shared secret kept in ``path``, made there (private) on first use."""
    return secret_in(path).encode()
