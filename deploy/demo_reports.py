"""The demo's practice reports: a rubric, and one report in each state, written and reviewed
by demo people through the gateway (reports are people's: no key writes them).

Two authors and two reviewers of the North District get accounts of their own (not the ones
``deploy.demo`` prints, whose one-time passwords stay for a person to use); their passwords are
kept in var/demo-report-people.txt (private), so a second run signs in again and, finding the
reports there, writes nothing more.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from services.common.private import write_private
from services.settings import Settings

if TYPE_CHECKING:
    from deploy.demo import Gateway

AUTHORS, REVIEWERS = ("S0005", "S0006"), ("S0007", "S0008")  # North's first members
RUBRIC = {
    "name": "Applied practice",
    "reviewers": 2,
    "disagreement": 25,
    "criteria": [
        {"code": "relevance", "title": "Relevance to the learning", "max": 5, "weight": 1},
        {"code": "effect", "title": "Real effect on the work", "max": 5, "weight": 2},
        {"code": "spread", "title": "Spread to colleagues", "max": 5, "weight": 1},
    ],
    "bands": [
        {"min_total": 85, "rating": "A"},
        {"min_total": 65, "rating": "B"},
        {"min_total": 45, "rating": "C"},
        {"min_total": 0, "rating": None},
    ],
}
HIGH, LOW = {"relevance": 5, "effect": 5, "spread": 4}, {"relevance": 2, "effect": 1, "spread": 1}
APPLIED = (
    "After the session on the revised inspection regulations, our team rewrote the on-site "
    "checklist so that every item cites the clause it comes from, and we now hand the owner "
    "the list of findings before we leave the site."
)


def body(title: str, applied: str = APPLIED) -> dict[str, Any]:
    return {
        "title": title,
        "learned": {"kind": "topic", "text": "Revised inspection regulations"},
        "applied": applied,
        "result": "Follow-up visits for missing paperwork fell by half in the month after.",
    }


def walk(gateway: Gateway, settings: Settings) -> None:
    """A rubric and a report in each state (draft, submitted, in review, returned, approved
    and exemplary, rejected), unless the first author has reports already."""
    people = _people(gateway, settings)
    author, other = (people[s] for s in AUTHORS)
    first, second = (people[s] for s in REVIEWERS)
    if author.call("GET", "/api/v1/reports")[1].get("total"):
        print("\nPractice reports: already there.")
        return
    gateway.call("POST", "/api/v1/report-rubrics", RUBRIC)
    approved = _submitted(author, body("A checklist that cites its clauses"))
    for reviewer in (first, second):
        _score(reviewer, approved, HIGH)
    second.call("POST", f"/api/v1/reports/{approved}/exemplary")
    author.call("PUT", f"/api/v1/reports/{approved}/sharing", {"shared": True})
    rejected = _submitted(other, body("Read the regulations", "We read them."))
    for reviewer in (first, second):
        _score(reviewer, rejected, LOW)
    returned = _submitted(other, body("Findings handed over on site"))
    first.call("POST", f"/api/v1/reports/{returned}/return", {"comment": "Say what changed."})
    in_review = _submitted(author, body("Clause numbers in every finding"))
    _score(first, in_review, HIGH)
    copy = _submitted(other, body("A checklist citing its clauses"))  # a near copy of approved
    author.call("POST", "/api/v1/reports", body("Next: the same for permits"))  # a draft
    print(
        f"\nPractice reports: approved and exemplary #{approved}, rejected #{rejected}, "
        f"returned #{returned}, in review #{in_review}, submitted #{copy} (a near copy of "
        f"#{approved}), and a draft; reviewers {', '.join(REVIEWERS)} (passwords in "
        f"{settings.var_dir / 'demo-report-people.txt'})."
    )


def _submitted(author: Gateway, report: dict[str, Any]) -> int:
    status, made = author.call("POST", "/api/v1/reports", report)
    if status != 201:
        raise SystemExit(f"writing a demo report answered {status}: {made}")
    author.call("POST", f"/api/v1/reports/{made['id']}/submit")
    return int(made["id"])


def _score(reviewer: Gateway, report: int, scores: dict[str, int]) -> None:
    status, answer = reviewer.call("POST", f"/api/v1/reports/{report}/scores", {"scores": scores})
    if status != 200:
        raise SystemExit(f"scoring demo report {report} answered {status}: {answer}")


def _people(gateway: Gateway, settings: Settings) -> dict[str, Gateway]:
    """Each demo person signed in; accounts made (and first passwords changed) once."""
    from deploy.demo import Gateway

    saved = settings.var_dir / "demo-report-people.txt"
    known = dict(line.split() for line in saved.read_text().splitlines()) if saved.exists() else {}
    for staff_no in AUTHORS + REVIEWERS:
        if staff_no in known:
            continue
        status, made = gateway.call("POST", "/api/v1/auth/accounts", {"staff_no": staff_no})
        if status != 201:
            raise SystemExit(f"a demo account for {staff_no} answered {status}: {made}")
        if staff_no in REVIEWERS:
            role = {"role": "reviewer", "unit": "north"}
            gateway.call("POST", f"/api/v1/auth/accounts/{staff_no}/roles", role)
        password = secrets.token_urlsafe(12)
        first = _token(gateway, staff_no, made["one_time_password"])
        change = {"old_password": made["one_time_password"], "new_password": password}
        Gateway(gateway.base_url, first).call("POST", "/api/v1/auth/password", change)
        known[staff_no] = password
        write_private(saved, "".join(f"{s} {p}\n" for s, p in known.items()))
    return {s: Gateway(gateway.base_url, _token(gateway, s, p)) for s, p in known.items()}


def _token(gateway: Gateway, staff_no: str, password: str) -> str:
    status, signed = gateway.call(
        "POST", "/api/v1/auth/sign-in", {"staff_no": staff_no, "password": password}
    )
    if status != 200:
        raise SystemExit(f"signing in demo person {staff_no} answered {status}: {signed}")
    return str(signed["access_token"])
