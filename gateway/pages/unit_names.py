"""Unit codes said as unit names: the organisation tree (``GET /api/v1/units``), read as the
person on each page that needs it. The tree is small and changes by hand, but a rename must
show at once, so nothing is kept between requests."""

from __future__ import annotations

from typing import Any

from gateway import as_person
from gateway.auth import Caller


def tree(caller: Caller) -> list[dict[str, Any]]:
    """Every unit (code, name, parent); empty when the points service cannot answer, so a
    page still shows its codes. The list is a JSON array, so it is read with ``send``."""
    status, units = as_person.send(caller, "GET", "/api/v1/units")
    if status != 200 or not isinstance(units, list):
        return []
    return [u for u in units if isinstance(u, dict) and "code" in u]


def names(units: list[dict[str, Any]]) -> dict[str, str]:
    """Code -> name."""
    return {u["code"]: u.get("name") or u["code"] for u in units}


def children(units: list[dict[str, Any]], parent: str | None) -> list[str]:
    return [u["code"] for u in units if u.get("parent") == parent]


def parent_of(units: list[dict[str, Any]], code: str) -> str | None:
    return next((u.get("parent") for u in units if u["code"] == code), None)
