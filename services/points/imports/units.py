"""Unit paths as HR files write them: ``north/north-sales/team-a`` or ``北区 > 销售部 > 一组``.

A path goes down the tree from the top, one unit per segment, each named by its code or its
name; segments are split on ``>`` when the path holds one (names may hold ``/``), else on
``/`` (full-width ``＞`` and ``／`` too). A path may also start at any unit named by its code
(codes are unique), so ``team-a`` alone is enough. Units must exist: an HR file names the
agency's units, and a typo must not grow the tree, so an unknown segment rejects the row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points.models import Unit


@dataclass(frozen=True)
class Node:
    id: int
    code: str
    name: str
    parent_id: int | None


class UnitTree:
    def __init__(self, nodes: list[Node]) -> None:
        self.by_id = {node.id: node for node in nodes}
        self.by_code = {node.code: node for node in nodes}
        self.children: dict[int | None, list[Node]] = defaultdict(list)
        for node in nodes:
            self.children[node.parent_id].append(node)

    @classmethod
    def load(cls, session: Session) -> UnitTree:
        rows = session.execute(select(Unit.id, Unit.code, Unit.name, Unit.parent_id))
        return cls([Node(row.id, row.code, row.name, row.parent_id) for row in rows])

    def codes(self, unit_id: int) -> list[str]:
        """Codes from the top of the tree down to the unit."""
        path: list[str] = []
        current: int | None = unit_id
        while current is not None and len(path) <= len(self.by_id):
            node = self.by_id[current]
            path.append(node.code)
            current = node.parent_id
        return path[::-1]

    def resolve(self, text: str) -> Node | str:
        """The unit the path names, or why none is."""
        segments = split(text)
        if not segments:
            return "Give the unit's path, e.g. 'north/north-sales'."
        first = segments[0]
        start = self._child(None, first)
        if isinstance(start, str) and first in self.by_code:
            start = self.by_code[first]
        found = start
        for segment in segments[1:]:
            if isinstance(found, str):
                break
            found = self._child(found, segment)
        return found

    def _child(self, parent: Node | None, segment: str) -> Node | str:
        siblings = self.children[parent.id if parent else None]
        by_code = [node for node in siblings if node.code == segment]
        matches = by_code or [node for node in siblings if node.name == segment]
        where = f"under {'/'.join(self.codes(parent.id))!r}" if parent else "at the top"
        if not matches:
            return f"No unit {segment!r} {where} of the tree."
        if len(matches) > 1:
            codes = ", ".join(node.code for node in matches)
            return f"Several units {where} are named {segment!r} ({codes}): use the code."
        return matches[0]


def split(text: str) -> list[str]:
    text = text.replace("＞", ">").replace("／", "/")
    separator = ">" if ">" in text else "/"
    return [part.strip() for part in text.split(separator) if part.strip()]
