"""The roster import: an HR file of members against the members the platform knows.

Each row is created, updated (name, email, phone, reactivation), moved (another unit),
deactivated (the file says 离职/no), unchanged, or rejected with its reasons. With
``deactivate_missing`` the active members the file does not name (inside the units the importer
administers) are deactivated too; a rejected row still names its member, so a typo never
deactivates anyone. A staff number on several lines rejects all of them: which line is right is
the file's to say.

Changes go through the members' own code (services.points.org), so a move keeps past points
where they were earned, as with PATCH /api/v1/members/<staff_no>. The caller runs it in one
transaction: a dry run in a read-only one, an apply in a write one that also holds the audit
record, so the report of an apply is exactly what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points import org
from services.points.imports.report import UNCHANGED, Outcome, Report, change, write_audit
from services.points.imports.roster_rows import Wanted, parse
from services.points.imports.tables import Table
from services.points.imports.units import UnitTree
from services.points.models import Member

ACTIONS = ("created", "updated", "moved", "deactivated", UNCHANGED, "rejected")

Administers = Callable[[list[str]], bool]  # whether the importer administers a unit path


@dataclass
class Run:
    tree: UnitTree
    administers: Administers
    report: Report
    # (staff_no, name, active) of every member changed: the boards hear of them after commit.
    announce: list[tuple[str, str, bool]] = field(default_factory=list)
    # What an apply writes, once every row is read: through the members' code, in bulk.
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)


def run(
    session: Session, table: Table, administers: Administers, *, dry_run: bool, missing: bool
) -> Run:
    tree = UnitTree.load(session)
    done = Run(tree, administers, Report(ACTIONS, dry_run, ignored_columns=list(table.ignored)))
    wanted = _parsed(table, done)
    members = org.by_staff_no(session, [want.staff_no for want in wanted])
    for want in wanted:
        _one(done, want, members.get(want.staff_no))
    if missing:
        named = {row.values["staff_no"] for row in table.rows}
        _deactivate_missing(session, done, named)
    if not dry_run:
        org.create_members(session, done.creates)
        org.update_members(session, done.updates)
    return done


def _parsed(table: Table, done: Run) -> list[Wanted]:
    lines: dict[str, list[int]] = {}
    for row in table.rows:
        lines.setdefault(row.values["staff_no"], []).append(row.line)
    wanted = []
    for row in table.rows:
        staff_no = row.values["staff_no"]
        if len(lines[staff_no]) > 1 and staff_no:
            on = ", ".join(map(str, lines[staff_no]))
            done.report.reject(row.line, staff_no, {"staff_no": [f"On several lines: {on}."]})
            continue
        parsed = parse(row, done.tree)
        if isinstance(parsed, dict):
            done.report.reject(row.line, staff_no[:64] or None, parsed)
        else:
            wanted.append(parsed)
    return wanted


def _one(done: Run, want: Wanted, member: Member | None) -> None:
    target = done.tree.codes(want.unit_id)
    if not done.administers(target):
        refused = f"Unit {'/'.join(target)!r} is outside the units you administer."
        done.report.reject(want.line, want.staff_no, {"unit": [refused]})
        return
    if member is not None and not done.administers(here := done.tree.codes(member.unit_id)):
        refused = f"{want.staff_no} is in {'/'.join(here)!r}, outside the units you administer."
        done.report.reject(want.line, want.staff_no, {"staff_no": [refused]})
        return
    changes = _changes(done.tree, want, member)
    action = _action(member, changes)
    done.report.add(Outcome(want.line, want.staff_no, action, changes))
    if action == UNCHANGED:
        return
    active = member.active if member is not None and want.active is None else want.active
    done.announce.append((want.staff_no, want.name, active is not False))
    _plan(done, want, member, changes)


def _changes(tree: UnitTree, want: Wanted, member: Member | None) -> dict[str, dict[str, Any]]:
    asked: dict[str, Any] = {"name": want.name, "unit": "/".join(tree.codes(want.unit_id))}
    if want.active is not None or member is None:
        asked["active"] = want.active is not False
    asked.update(want.contact)
    if member is None:
        return {name: change(None, value) for name, value in asked.items() if value is not None}
    now = {
        "name": member.name,
        "unit": "/".join(tree.codes(member.unit_id)),
        "active": member.active,
        "email": member.email,
        "phone": member.phone,
    }
    return {name: change(now[name], value) for name, value in asked.items() if now[name] != value}


def _action(member: Member | None, changes: dict[str, dict[str, Any]]) -> str:
    if member is None:
        return "created"
    if not changes:
        return UNCHANGED
    if changes.get("active", {}).get("to") is False:
        return "deactivated"
    return "moved" if "unit" in changes else "updated"


def _plan(done: Run, want: Wanted, member: Member | None, changes: dict[str, Any]) -> None:
    code = done.tree.by_id[want.unit_id].code  # the members' code takes unit codes
    if member is None:
        active = want.active is not False
        spec = {"staff_no": want.staff_no, "name": want.name, "unit": code, "active": active}
        done.creates.append({**spec, **want.contact})
        return
    asked = {name: value["to"] for name, value in changes.items()}
    if "unit" in asked:
        asked["unit"] = code
    done.updates[want.staff_no] = asked


def _deactivate_missing(session: Session, done: Run, named: set[str]) -> None:
    """Active members the file does not name, inside the units the importer administers."""
    active = list(
        session.scalars(select(Member).where(Member.active.is_(True)).order_by(Member.staff_no))
    )
    for member in active:
        if member.staff_no in named or not done.administers(done.tree.codes(member.unit_id)):
            continue
        done.report.add(
            Outcome(None, member.staff_no, "deactivated", {"active": change(True, False)})
        )
        done.announce.append((member.staff_no, member.name, False))
        done.updates[member.staff_no] = {"active": False}


def record(session: Session, done: Run, actor: str, about: dict[str, Any], now: datetime) -> None:
    """The apply's audit record: who, the file and options, and every change it made."""
    write_audit(session, done.report, actor, "roster_import", about, now)
