"""POST /api/v1/events: one event, or a batch of them."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.errors import Conflict, Forbidden, Unprocessable
from services.common.web import settings
from services.points.api.context import (
    ask_for_projection,
    key_limits,
    platform_settings,
    rules,
    sender,
)
from services.points.intake import counted, limits, references
from services.points.intake import record as intake
from services.points.schemas import IntakeResultSchema

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Event intake")


@blp.route("")
class Events(MethodView):
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Event"},
                            {
                                "type": "object",
                                "required": ["events"],
                                "properties": {
                                    "events": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Event"},
                                    }
                                },
                            },
                        ]
                    }
                }
            },
        }
    )
    @blp.response(201, IntakeResultSchema, description="The event was new and is recorded.")
    @blp.alt_response(200, schema=IntakeResultSchema, description="A replay: the first result.")
    @blp.alt_response(207, description="A batch in which some events were rejected.")
    @blp.alt_response(
        403, description="Event(s) outside the key's limits (types, units); nothing recorded."
    )
    @blp.alt_response(409, description="The event id was used before with other content.")
    @blp.alt_response(422, description="Invalid event(s): errors name each field.")
    def post(self) -> Response:
        """Record one event, or a batch of up to MAX_BATCH events under "events".

        Replays (same sender, same id, same content) award nothing and return the first
        result with "duplicate": true. In a batch, bad events are reported by position and
        the good ones are recorded (207); if none is good the answer is 422. A key limited to
        some event types or units may post nothing else: a batch with any event outside its
        limits is refused whole (403, naming each by position) and nothing is recorded.
        """
        body = request.get_json()
        if isinstance(body, dict) and set(body) == {"events"}:
            return _batch(body["events"])
        outcome = _run([body], batch=False)[0]
        if outcome.status == 422:
            raise Unprocessable(errors={"json": outcome.body["errors"]})
        if outcome.status == 409:
            raise Conflict(outcome.body["message"])
        return _json(outcome.body, outcome.status)


def _batch(events: Any) -> Response:
    limit = settings().max_batch
    if not isinstance(events, list) or not 1 <= len(events) <= limit:
        message = f"Send a list of 1 to {limit} events."
        raise Unprocessable(errors={"json": {"events": [message]}})
    outcomes = _run(events, batch=True)
    results = [{"index": i, "status": o.status, **o.body} for i, o in sorted(outcomes.items())]
    rejected = {
        r["index"]: r.get("errors") or {"id": [r["message"]]} for r in results if r["status"] >= 400
    }
    if len(rejected) == len(events):
        raise Unprocessable(errors={"json": {"events": rejected}})
    summary = {
        "accepted": sum(1 for r in results if r["status"] == 201),
        "duplicates": sum(1 for r in results if r["status"] == 200),
        "rejected": len(rejected),
        "results": results,
    }
    status = 207 if rejected else (201 if summary["accepted"] else 200)
    return _json(summary, status)


def _run(events: list[Any], *, batch: bool) -> dict[int, intake.Outcome]:
    now = utcnow()
    good, errors = intake.check_shapes(events, now)
    outcomes = {i: intake.Outcome(422, {"errors": e}) for i, e in errors.items()}
    if good:
        book = rules().book()
        with current_db().write() as session:
            _within_limits(limits.outside(session, good, key_limits()), batch)
            good, refused = references.check(session, good, platform_settings().unknown_activity)
            outcomes |= {i: intake.Outcome(422, {"errors": e}) for i, e in refused.items()}
            outcomes |= intake.record(session, sender(), good, book, settings().org_timezone, now)
        if any(o.status == 201 for o in outcomes.values()):
            ask_for_projection()
    counted.count(outcomes.values())
    return outcomes


def _within_limits(refused: dict[int, str], batch: bool) -> None:
    if not refused:
        return
    if not batch:
        raise Forbidden(f"{next(iter(refused.values()))} Nothing was recorded.")
    positions = ", ".join(str(i) for i in sorted(refused))
    raise Forbidden(
        f"Events at positions {positions} are outside this key's limits; nothing was recorded.",
        errors={"json": {"events": {i: [why] for i, why in sorted(refused.items())}}},
    )


def _json(body: dict[str, Any], status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response
