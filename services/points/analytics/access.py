"""Who may read the figures: admins only, each within the units their admin role covers (the
gateway has let through only people holding the admin role somewhere, or an admin key)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import Forbidden, Unprocessable
from services.contracts import ADMIN
from services.points import org
from services.points.api import unit_access
from services.points.models import Unit


def admins_only() -> None:
    person = unit_access.reach()
    if person is not None and ADMIN not in person.units:
        raise Forbidden("The organisation's figures are for admins.")


def unit_in_reach(session: Session, code: str | None) -> int | None:
    """The id of the unit a query names (None: the whole organisation, for its admins only);
    an unknown unit is a bad parameter, one outside the person's units a 403."""
    admins_only()
    if code is not None and session.scalar(select(Unit.id).where(Unit.code == code)) is None:
        raise Unprocessable(errors={"query": {"unit": [f"Unknown unit {code!r}."]}})
    unit_access.may_manage_unit(session, code)
    return None if code is None else org.unit_by_code(session, code).id


def visible(tree: org.Tree, unit_ids: list[int]) -> list[int]:
    """The units of ``unit_ids`` the person administers."""
    return [u for u in unit_ids if unit_access.administers(org.unit_path(tree, u))]
