"""The admin console's landing page, and the check every admin page makes first.

An admin page is for a person holding the admin role, organisation-wide or for a unit's
subtree: anyone else gets the 403 page. What a subtree's admin may change is the API's to say
(the points service checks the units of every write), and a refusal is shown as a page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import render_template
from flask_babel import lazy_gettext as _l

from gateway.accounts import ADMIN
from gateway.pages import blp, errors
from gateway.pages.visitor import for_person, person

View = TypeVar("View", bound=Callable[..., Any])

# The admin areas, in the order the landing page lists them: (path, title, what it is for).
AREAS = (
    ("/admin/units", _l("Members and units"), _l("The unit tree, its members, moves and leavers.")),
    ("/admin/roster", _l("Roster import"), _l("Upload the HR roster: check it first, then apply.")),
    ("/admin/sessions", _l("Study sessions"), _l("Schedule sessions, follow attendance, excuses.")),
    ("/admin/quizzes", _l("Quizzes"), _l("Keep quizzes and see how each went.")),
    ("/admin/exports", _l("Exports"), _l("A unit's report for inspections: XLSX, PDF, CSV.")),
    ("/admin/surveys", _l("Surveys"), _l("Pulse surveys in rounds: results per unit over time.")),
    ("/admin/rules", _l("Reward rules"), _l("Write, preview and publish rule sets.")),
    (
        "/admin/figures",
        _l("Learning figures"),
        _l("Per unit and over time: is it improving?"),
    ),
    ("/admin/adjustments", _l("Adjustments"), _l("Award or deduct points by hand, with a reason.")),
    ("/admin/accounts", _l("Accounts and roles"), _l("Sign-in accounts, passwords and roles.")),
    ("/admin/keys", _l("API keys"), _l("The keys other systems post events with.")),
    ("/admin/audit", _l("Audit log"), _l("Who changed what, and when.")),
    ("/admin/delivery", _l("Outbound delivery"), _l("Webhooks, group robots and e-mail.")),
    ("/admin/silent", _l("Silent members"), _l("Who has not learned lately; nudge them.")),
)


def for_admin(view: View) -> View:
    """A page for an admin (of the organisation or a unit): anyone else gets the 403 page."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not person().holds(ADMIN):
            return errors.page(403)
        return view(*args, **kwargs)

    return for_person(checked)  # type: ignore[return-value]


def admin_units() -> list[str]:
    """The units the person administers; empty for an organisation-wide admin."""
    return sorted({h.unit for h in person().roles if h.role == ADMIN and h.unit})


@blp.get("/admin")
@for_admin
def admin_home() -> str:
    return render_template("pages/admin/home.html", areas=AREAS, limited_to=admin_units())
