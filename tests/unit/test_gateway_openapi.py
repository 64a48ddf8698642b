"""Merging the services' OpenAPI documents: prefixes, rewritten refs, routed paths only."""

from __future__ import annotations

import json
from typing import Any

from gateway.openapi import OpenApiCache, merge, public_paths, rename_refs
from gateway.same_as import link_same_as


def ref(section: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{section}/{name}"}


def test_rename_refs_reaches_every_depth_and_leaves_other_refs() -> None:
    node = {
        "a": [ref("schemas", "Error"), {"b": ref("responses", "DEFAULT_ERROR")}],
        "discriminator": {"mapping": {"x": "#/components/schemas/X"}},
        "external": {"$ref": "https://example.org/schema.json"},
    }
    renamed = rename_refs(node, "Points")
    assert renamed["a"][0] == ref("schemas", "PointsError")
    assert renamed["a"][1]["b"] == ref("responses", "PointsDEFAULT_ERROR")
    assert renamed["discriminator"]["mapping"]["x"] == "#/components/schemas/PointsX"
    assert renamed["external"] == node["external"]
    assert node["a"][0] == ref("schemas", "Error")  # the input is left alone


def test_only_routed_operations_of_the_owning_service_are_kept() -> None:
    ok: dict[str, Any] = {"responses": {"200": {"description": "ok"}}}
    paths = {
        "/api/v1/members/{staff_no}": {"get": ok, "delete": ok, "parameters": []},
        "/api/v1/members/{staff_no}/standing": {"get": ok},
        "/internal/v1/outbox": {"get": ok},
        "/healthz": {"get": ok},
    }
    kept = public_paths("points", paths)
    assert list(kept) == ["/api/v1/members/{staff_no}"]
    member = kept["/api/v1/members/{staff_no}"]
    assert member["parameters"] == []
    assert member["get"]["x-required-scope"] == "read"
    assert member["delete"]["x-required-scope"] == "admin"
    assert "Needs the `admin` scope." in member["delete"]["description"]
    assert member["get"]["security"] == [{"bearer": []}, {"session": []}]  # header or cookie
    assert list(public_paths("leaderboard", paths)) == ["/api/v1/members/{staff_no}/standing"]


def test_merge_keeps_same_named_components_apart() -> None:
    def doc(path: str) -> dict[str, Any]:
        schema = {"content": {"application/json": {"schema": ref("schemas", "Error")}}}
        return {
            "paths": {
                path: {
                    "get": {
                        "tags": ["shared"],
                        "responses": {"200": {"description": "x", **schema}},
                    }
                },
                "/internal/v1/feed": {"get": {"tags": ["internal"], "responses": {}}},
            },
            "components": {"schemas": {"Error": {"type": "object"}}},
            "tags": [{"name": "shared"}, {"name": "internal"}],
        }

    merged = merge({"points": doc("/api/v1/units"), "rewards": doc("/api/v1/rulesets")}, [])
    schemas = merged["components"]["schemas"]
    assert {"PointsError", "RewardsError"} <= set(schemas)
    units = merged["paths"]["/api/v1/units"]["get"]["responses"]["200"]
    assert units["content"]["application/json"]["schema"] == ref("schemas", "PointsError")
    # "internal" labelled only paths the gateway never routes, so it is dropped with them.
    assert [tag["name"] for tag in merged["tags"]] == ["gateway", "shared"]
    assert merged["x-unavailable"] == []


def test_cache_rebuilds_after_its_time_and_sooner_when_a_service_was_missing() -> None:
    calls: list[str] = []

    def fetch(service: str) -> dict[str, Any]:
        calls.append(service)
        if service == "rewards":
            raise ConnectionError("down")
        return {"paths": {}}

    cache = OpenApiCache(fetch, ttl=60, partial_ttl=0)
    first = json.loads(cache.body())
    assert first["x-unavailable"] == ["rewards"]
    assert len(calls) == 3
    cache.body()  # partial documents are rebuilt at once (partial_ttl=0)
    assert len(calls) == 6

    whole = OpenApiCache(lambda service: {"paths": {}}, ttl=60)
    assert json.loads(whole.body())["x-unavailable"] == []
    assert whole.body() is whole.body()  # cached


def test_a_relayed_part_points_at_its_owner_s_schema_when_the_document_has_it() -> None:
    paths = {
        "/api/v1/me": {
            "get": {
                "responses": {
                    "200": {
                        "properties": {
                            "profile": {"type": "object", "x-same-as": "PointsProfile"},
                            "catch_up": {
                                "type": "object",
                                "nullable": True,
                                "x-same-as": "LeaderboardCatchUp",
                                "description": "gap",
                            },
                            "rows": {"items": {"type": "object", "x-same-as": "Missing"}},
                        }
                    }
                }
            }
        }
    }
    schemas = {"PointsProfile": {}, "LeaderboardCatchUp": {}}
    linked = link_same_as(paths, schemas)["/api/v1/me"]["get"]["responses"]["200"]["properties"]
    assert linked["profile"] == ref("schemas", "PointsProfile")
    assert linked["catch_up"] == {
        "nullable": True,
        "allOf": [ref("schemas", "LeaderboardCatchUp")],
        "description": "gap",
    }
    assert linked["rows"]["items"] == {"type": "object", "x-same-as": "Missing"}  # service down


def test_every_limited_operation_declares_its_429_and_the_public_health_does_not() -> None:
    ok: dict[str, Any] = {"responses": {"200": {"description": "ok"}}}
    own = {
        "paths": {
            "/api/v1/auth/sign-in": {
                "post": {"responses": {"200": ok["responses"]["200"], "429": {"description": "a"}}}
            },
            "/api/v1/auth/refresh": {"post": ok, "parameters": []},
        }
    }
    merged = merge({"points": {"paths": {"/api/v1/units": {"get": ok}}}}, [], own)
    paths = merged["paths"]
    too_many = ref("responses", "GatewayTooManyRequests")
    assert paths["/api/v1/units"]["get"]["responses"]["429"] == too_many
    assert paths["/api/v1/auth/refresh"]["post"]["responses"]["429"] == too_many
    assert paths["/api/v1/auth/refresh"]["parameters"] == []
    # An operation's own 429 (the sign-in throttle's) is kept, not replaced.
    assert paths["/api/v1/auth/sign-in"]["post"]["responses"]["429"] == {"description": "a"}
    assert "429" not in paths["/api/v1/health"]["get"]["responses"]
    declared = merged["components"]["responses"]["GatewayTooManyRequests"]
    assert declared["headers"]["Retry-After"]["schema"]["type"] == "integer"
