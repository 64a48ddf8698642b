"""What the signed internal hop costs, set against the requests it rides on.

Each request through the gateway is signed once by the gateway (``Upstreams.send``) and checked
once by the service (``services.common.internal_only``). Both are timed here in CPU time, with
the platform's own code on a request like the bench's; the run's figures give the CPU time
every process spent per single-event intake and per standing read, so the share is the hop's
cost side by side with what those requests cost in the same run.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from werkzeug.test import EnvironBuilder

from services.common.signing import Signer, wire_target
from services.contracts import SIGNATURE_HEADER, SIGNED_HEADERS

ITERATIONS = 20_000
TARGET = "/api/v1/members/R1k-000123/standing?scope=unit:bench1000"
FORWARDED = {
    "X-Sender": "bench-reader",
    "X-Scopes": "read",
    "X-Request-Id": "5f0c4b8e2a9d4c1e8b7a6f5e4d3c2b1a",
    "Content-Type": "application/json",
    "Accept-Encoding": "identity",
    "User-Agent": "Python-urllib/3.11",
}


def hop_cost(iterations: int = ITERATIONS) -> dict[str, float]:
    """Microseconds of CPU to sign one request (gateway) and to check it (service)."""
    signer = Signer(secrets.token_hex(32).encode(), SIGNATURE_HEADER, SIGNED_HEADERS)
    started = time.process_time()
    for _ in range(iterations):
        signed = signer.signed("GET", wire_target(TARGET), FORWARDED)
    sign_us = (time.process_time() - started) / iterations * 1e6
    request = EnvironBuilder(path=TARGET, headers=list(signed.items())).get_request()
    started = time.process_time()
    for _ in range(iterations):
        query = request.query_string.decode("latin-1")
        assert signer.check(request.method, request.path, query, request.headers) is None
    check_us = (time.process_time() - started) / iterations * 1e6
    return {"sign_us": round(sign_us, 1), "check_us": round(check_us, 1)}


def share(single: dict[str, Any], standing: dict[str, Any] | None) -> dict[str, Any]:
    """The hop's cost, and its share of the CPU per request of intake and of standing reads
    (every process's CPU time, from the figures' ``cpu_us``)."""
    cost = hop_cost()
    hop = cost["sign_us"] + cost["check_us"]
    out: dict[str, Any] = {**cost, "hop_us": round(hop, 1)}
    for name, figure in (("intake_single", single), ("standing", standing)):
        spent = sum((figure or {}).get("cpu_us", {}).values())
        out[f"{name}_cpu_us"] = spent
        out[f"{name}_pct"] = round(100 * hop / spent, 2) if spent else None
    return out


def note(figure: dict[str, Any]) -> str:
    return (
        f"signed internal hop: {figure['hop_us']} us of CPU per request (signing "
        f"{figure['sign_us']} + check {figure['check_us']}), {figure['intake_single_pct']}% of "
        f"single-event intake's CPU per event ({figure['intake_single_cpu_us']} us) and "
        f"{figure['standing_pct']}% of a standing read's ({figure['standing_cpu_us']} us)"
    )
