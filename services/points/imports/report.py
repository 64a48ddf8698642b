"""What an import did, or would do: rows in, one action per row out.

Every import answers with the same shape, dry run or applied, so a person reads the dry run,
fixes the file and applies what they read. An importer names its actions (the roster's:
created, updated, moved, deactivated, unchanged, rejected); each row lands under one, with its
line number in the file (none for a thing the file does not name, such as a member
deactivated for being missing), the key it is about (a staff number), the changes it makes
(field -> {"from", "to"}) or, when rejected, the reasons per field.

    {"dry_run": true, "counts": {"created": 1, ..., "rejected": 1},
     "rows": {"created": [{"line": 2, "key": "S001", "changes": {"name": {"from": null,
     "to": "Li Na"}}}], "rejected": [{"line": 5, "key": "S009", "errors": {"unit":
     ["Unknown unit 'x'."]}}], ...}, "ignored_columns": ["gender"], "audit_id": null}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.points.ledger import audit

REJECTED = "rejected"
UNCHANGED = "unchanged"


@dataclass
class Outcome:
    line: int | None
    key: str | None
    action: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        view: dict[str, Any] = {"line": self.line, "key": self.key}
        if self.changes:
            view["changes"] = self.changes
        if self.errors:
            view["errors"] = self.errors
        return view


@dataclass
class Report:
    actions: tuple[str, ...]  # the importer's actions, in the order the report lists them
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    audit_id: int | None = None

    def add(self, outcome: Outcome) -> Outcome:
        if outcome.action not in self.actions:
            raise ValueError(f"{outcome.action!r} is not an action of this import")
        self.outcomes.append(outcome)
        return outcome

    def reject(self, line: int | None, key: str | None, errors: dict[str, list[str]]) -> Outcome:
        return self.add(Outcome(line, key, REJECTED, errors=errors))

    def of(self, action: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action == action]

    def counts(self) -> dict[str, int]:
        return {action: len(self.of(action)) for action in self.actions}

    def changed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action not in (REJECTED, UNCHANGED)]

    def view(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "counts": self.counts(),
            "rows": {a: [o.view() for o in self.of(a)] for a in self.actions},
            "ignored_columns": self.ignored_columns,
            "audit_id": self.audit_id,
        }


def write_audit(
    session: Session, report: Report, actor: str, action: str, about: dict[str, Any], now: datetime
) -> None:
    """An apply's audit record: who, the file and options (``about``), and every change made."""
    changed = {
        a: [o.view() for o in report.of(a)]
        for a in report.actions
        if a not in (UNCHANGED, REJECTED)
    }
    detail = {**about, "counts": report.counts(), "changes": changed}
    written = audit.write(
        session, actor=actor, action=action, key=None, member_id=None, detail=detail, now=now
    )
    report.audit_id = written.id


def change(before: Any, after: Any) -> dict[str, Any]:
    return {"from": before, "to": after}
