"""Groups, exclusions and the privacy setting, kept in the leaderboard's SQL database.

Every change bumps ``config_version``; ``mirror.py`` copies the configuration into Redis
under that version, so reads never touch SQL and an older copy never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, NotFound
from services.leaderboard.models import Group, GroupMember, Setting

PRIVACY_NAMES = "names"  # everyone sees names
PRIVACY_RANKS = "ranks_only"  # others are shown by rank and points only
PRIVACY_CHOICES = (PRIVACY_NAMES, PRIVACY_RANKS)
DEFAULTS = {"privacy": PRIVACY_NAMES}


@dataclass
class Config:
    version: int
    settings: dict[str, str]
    groups: dict[str, list[str]] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)


def _bump(session: Session) -> None:
    row = session.get(Setting, "config_version")
    if row is None:
        session.add(Setting(key="config_version", value="1"))
    else:
        row.value = str(int(row.value) + 1)
    session.flush()


def group_view(session: Session, group: Group) -> dict[str, Any]:
    members = session.scalars(
        select(GroupMember.staff_no)
        .where(GroupMember.group_id == group.id)
        .order_by(GroupMember.staff_no)
    ).all()
    return {
        "code": group.code,
        "name": group.name,
        "excluded": group.excluded,
        "members": list(members),
    }


def group_by_code(session: Session, code: str) -> Group:
    group = session.scalar(select(Group).where(Group.code == code))
    if group is None:
        raise NotFound(f"No group {code!r}.")
    return group


def members_by_code(session: Session, codes: list[str]) -> dict[str, Any]:
    """The groups of ``codes`` with their members, and the codes that name no group."""
    found = session.scalars(select(Group).where(Group.code.in_(codes)).order_by(Group.code))
    items = [group_view(session, group) for group in found]
    known = {item["code"] for item in items}
    return {"items": items, "not_found": [code for code in codes if code not in known]}


def list_groups(session: Session) -> list[dict[str, Any]]:
    groups = session.scalars(select(Group).order_by(Group.code)).all()
    return [group_view(session, group) for group in groups]


def create_group(
    session: Session, code: str, name: str, excluded: bool, members: Iterable[str]
) -> Group:
    if session.scalar(select(Group.id).where(Group.code == code)) is not None:
        raise Conflict(f"Group {code!r} already exists.")
    group = Group(code=code, name=name, excluded=excluded)
    session.add(group)
    session.flush()
    _add_members(session, group, members)
    _bump(session)
    return group


def update_group(session: Session, code: str, changes: dict[str, Any]) -> Group:
    """Rename, (un)exclude, replace the members, or add and remove some."""
    group = group_by_code(session, code)
    if "name" in changes:
        group.name = changes["name"]
    if "excluded" in changes:
        group.excluded = changes["excluded"]
    if "members" in changes:
        session.execute(delete(GroupMember).where(GroupMember.group_id == group.id))
        _add_members(session, group, changes["members"])
    _add_members(session, group, changes.get("add", ()))
    remove = list(changes.get("remove", ()))
    if remove:
        session.execute(
            delete(GroupMember).where(
                GroupMember.group_id == group.id, GroupMember.staff_no.in_(remove)
            )
        )
    _bump(session)
    return group


def delete_group(session: Session, code: str) -> None:
    group = group_by_code(session, code)
    session.execute(delete(GroupMember).where(GroupMember.group_id == group.id))
    session.delete(group)
    _bump(session)


def _add_members(session: Session, group: Group, members: Iterable[str]) -> None:
    have = set(
        session.scalars(select(GroupMember.staff_no).where(GroupMember.group_id == group.id))
    )
    for staff_no in dict.fromkeys(members):
        if staff_no not in have:
            session.add(GroupMember(group_id=group.id, staff_no=staff_no))
    session.flush()


def org_settings(session: Session) -> dict[str, str]:
    rows = session.scalars(select(Setting).where(Setting.key != "config_version")).all()
    return {**DEFAULTS, **{row.key: row.value for row in rows}}


def update_settings(session: Session, changes: dict[str, str]) -> dict[str, str]:
    for key, value in changes.items():
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    _bump(session)
    return org_settings(session)


def load_config(session: Session) -> Config:
    version_row = session.get(Setting, "config_version")
    config = Config(int(version_row.value) if version_row else 0, org_settings(session))
    rows = session.execute(
        select(Group.code, Group.excluded, GroupMember.staff_no).outerjoin(
            GroupMember, GroupMember.group_id == Group.id
        )
    )
    for code, excluded, staff_no in rows:
        members = config.groups.setdefault(code, [])
        if staff_no is not None:
            members.append(staff_no)
            if excluded:
                config.excluded.add(staff_no)
    return config
