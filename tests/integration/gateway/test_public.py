"""What needs no key: liveness, the services' health, the merged OpenAPI document, the docs."""

from __future__ import annotations

from typing import Any

from tests.integration.gateway.conftest import GatewayFactory, echo_app
from tests.support import serving


def error_ref(kind: str = "responses", name: str = "DEFAULT_ERROR") -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def service_document(schema: str, paths: dict[str, Any]) -> dict[str, Any]:
    """A service's own document, shaped like flask-smorest's, with colliding names."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "a service", "version": "v1"},
        "paths": {
            **paths,
            "/healthz": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/internal/v1/outbox": {"get": {"responses": {"200": {"description": "rows"}}}},
        },
        "components": {
            "schemas": {
                "Error": {"type": "object", "properties": {"code": {"type": "integer"}}},
                schema: {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": error_ref("schemas", "Error")}
                    },
                },
            },
            "responses": {
                "DEFAULT_ERROR": {
                    "description": "Default error response",
                    "content": {"application/json": {"schema": error_ref("schemas", "Error")}},
                }
            },
            "securitySchemes": {"ignored": {"type": "apiKey", "in": "header", "name": "X"}},
        },
        "tags": [{"name": "members"}],
    }


def operation(schema: str) -> dict[str, Any]:
    ok = {"content": {"application/json": {"schema": error_ref("schemas", schema)}}}
    return {"responses": {"200": {"description": "ok", **ok}, "default": error_ref()}}


POINTS_DOC = service_document(
    "Member",
    {
        "/api/v1/members/{staff_no}": {
            "parameters": [{"name": "staff_no", "in": "path", "required": True}],
            "get": operation("Member"),
            "patch": operation("Member"),
        },
    },
)
LEADERBOARD_DOC = service_document(
    "Standing",
    {
        "/api/v1/members/{staff_no}/standing": {"get": operation("Standing")},
        # Not the leaderboard's to serve: the gateway sends this path to points.
        "/api/v1/units": {"get": operation("Standing")},
    },
)


def test_healthz(make_gateway: GatewayFactory) -> None:
    answer = make_gateway().test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "service": "gateway"}


def test_health_reports_each_service(make_gateway: GatewayFactory, echo_urls, dead_urls) -> None:
    up = make_gateway(echo_urls).test_client().get("/api/v1/health")
    assert up.status_code == 200
    assert up.json == {
        "status": "ok",
        "services": {"points": "ok", "rewards": "ok", "leaderboard": "ok"},
    }
    some_down = make_gateway({**echo_urls, "rewards": dead_urls["rewards"]})
    down = some_down.test_client().get("/api/v1/health")
    assert down.status_code == 503
    assert down.json["services"] == {"points": "ok", "rewards": "down", "leaderboard": "ok"}


def test_openapi_merges_services_and_rewrites_refs(
    make_gateway: GatewayFactory, dead_urls: dict[str, str]
) -> None:
    with (
        serving(echo_app("points", POINTS_DOC)) as points,
        serving(echo_app("leaderboard", LEADERBOARD_DOC)) as leaderboard,
    ):
        app = make_gateway({**dead_urls, "points": points, "leaderboard": leaderboard})
        answer = app.test_client().get("/api/openapi.json")  # no key needed
    assert answer.status_code == 200
    doc = answer.json

    own = {path for path in doc["paths"] if path.startswith("/api/v1/auth/")}
    assert "/api/v1/auth/sign-in" in own  # the gateway's own people endpoints, always there
    assert sorted(set(doc["paths"]) - own) == [
        "/api/v1/health",
        "/api/v1/me",
        "/api/v1/members/{staff_no}",
        "/api/v1/members/{staff_no}/standing",
    ]
    schemas = doc["components"]["schemas"]
    assert {"PointsError", "PointsMember", "LeaderboardError", "LeaderboardStanding"} <= set(
        schemas
    )
    assert "Error" not in schemas and "Member" not in schemas
    member = doc["paths"]["/api/v1/members/{staff_no}"]
    assert member["parameters"][0]["name"] == "staff_no"
    get, patch = member["get"], member["patch"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == error_ref(
        "schemas", "PointsMember"
    )
    assert get["responses"]["default"] == error_ref(name="PointsDEFAULT_ERROR")
    assert (get["x-required-scope"], patch["x-required-scope"]) == ("read", "admin")
    standing = doc["paths"]["/api/v1/members/{staff_no}/standing"]["get"]
    assert standing["responses"]["default"] == error_ref(name="LeaderboardDEFAULT_ERROR")
    nested = schemas["LeaderboardStanding"]["properties"]["items"]["items"]
    assert nested == error_ref("schemas", "LeaderboardError")
    every_ref = _refs(doc)
    assert every_ref and all(_resolves(doc, ref) for ref in every_ref)

    assert doc["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": "li_session"},
    }
    assert doc["security"] == [{"bearer": []}, {"session": []}]
    session = doc["paths"]["/api/v1/auth/session"]
    assert session["post"]["security"] == [] and session["get"]["security"] == [{"session": []}]
    assert doc["paths"]["/api/v1/health"]["get"]["security"] == []
    assert doc["x-unavailable"] == ["rewards"]
    assert "rewards" in doc["info"]["description"]


def test_docs_page_and_its_assets_are_served_here(make_gateway: GatewayFactory) -> None:
    client = make_gateway().test_client()
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in html
    assert '"/api/openapi.json"' in html
    assert "http" not in html.split("<body>")[1]  # nothing from elsewhere
    script = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.data) > 100_000
    css = client.get("/api/docs/assets/swagger-ui.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    missing = client.get("/api/docs/assets/../../../../etc/passwd")
    assert missing.status_code == 404 and missing.json["code"] == 404


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def _resolves(doc: dict[str, Any], ref: str) -> bool:
    _, section, name = ref.removeprefix("#/").split("/")
    return name in doc["components"].get(section, {})
