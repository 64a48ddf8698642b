"""The organisation tree: /api/v1/units."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db
from services.points import org
from services.points.api import unit_access
from services.points.schemas import UnitOutSchema, UnitPatchSchema, UnitSchema

blp = Blueprint("units", __name__, url_prefix="/api/v1/units", description="Organisation units")


@blp.route("")
class Units(MethodView):
    @blp.response(200, UnitOutSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List every unit (the tree is small); "parent" links a unit to the one above."""
        with current_db().read() as session:
            tree = org.unit_codes(session)
            return [org.unit_view(u, tree) for u in org.list_units(session)]

    @blp.arguments(UnitSchema())
    @blp.response(201, UnitOutSchema)
    @blp.alt_response(409, description="A unit with that code exists.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a unit: a region, a department, a team (any depth, under "parent")."""
        with current_db().write() as session:
            unit_access.may_manage_unit(session, body["parent"], field="parent")
            unit = org.create_unit(session, body["code"], body["name"], body["parent"])
            return org.unit_view(unit, org.unit_codes(session))


@blp.route("/<code>")
class UnitByCode(MethodView):
    @blp.response(200, UnitOutSchema)
    def get(self, code: str) -> dict[str, Any]:
        """One unit."""
        with current_db().read() as session:
            return org.unit_view(org.unit_by_code(session, code), org.unit_codes(session))

    @blp.arguments(UnitPatchSchema(), required=False)
    @blp.response(200, UnitOutSchema)
    def patch(self, changes: dict[str, Any], code: str) -> dict[str, Any]:
        """Rename a unit or move it under another parent (never under itself)."""
        with current_db().write() as session:
            unit_access.may_manage_unit(session, code)
            if "parent" in changes:
                unit_access.may_manage_unit(session, changes["parent"], field="parent")
            unit = org.update_unit(session, code, changes)
            return org.unit_view(unit, org.unit_codes(session))
