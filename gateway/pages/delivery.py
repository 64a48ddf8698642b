"""``/admin/delivery``: an admin's subscriptions of other systems to the platform's events, and
the delivery log with a redeliver button per delivery (docs/delivery.md).

Every form is sent on as the API call it stands for, as the admin (gateway/as_person.py): the
points service checks the fields and the admin's units. A new webhook's signing secret is
shown once, on the answer to the form that made it (never in a URL, never cached).
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.as_person import read, send
from gateway.pages import blp
from gateway.pages.admins import any_admin, shown_once
from gateway.pages.visitor import for_person

Page = str | tuple[str, int] | Response
# What the service may refuse, by the field it names, in the reader's language.
SAID = {
    "name": _l("Give it a name of at most 100 characters."),
    "kind": _l("Choose a kind of target."),
    "target": _l("A webhook or robot needs an http(s) address; e-mail needs an e-mail address."),
    "events": _l("Choose at least one kind of event."),
    "unit": _l("No such unit, or not one you administer."),
    "secret": _l("Only a DingTalk robot takes a signing secret."),
}
KIND_NAMES = {
    "webhook": _l("Webhook (signed JSON)"),
    "wecom": _l("WeCom group robot"),
    "dingtalk": _l("DingTalk group robot"),
    "email": _l("E-mail"),
}
EVENT_NAMES = {
    "badge.earned": _l("Badge earned"),
    "level.reached": _l("New level reached"),
    "report.approved": _l("Practice report approved"),
    "report.returned": _l("Practice report returned for revision"),
    "session.closed": _l("Study session closed"),
    "nudge": _l("Nudge to a silent member"),
    "nudge.summary": _l("Summary of nudges to a leader"),
}
STATE_NAMES = {"pending": _l("Waiting"), "delivered": _l("Delivered"), "failed": _l("Failed")}
DONE = {
    "created": _l("The subscription is made."),
    "paused": _l("The subscription is paused: its deliveries wait."),
    "resumed": _l("The subscription is resumed."),
    "deleted": _l("The subscription is deleted."),
    "redelivered": _l("The delivery is sent again within moments, with the same id."),
}


def _page(errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    caller = any_admin()
    state = request.args.get("state", "")
    query = {"limit": 50, **({"state": state} if state in STATE_NAMES else {})}
    subscriptions = read(caller, "/api/v1/subscriptions")["items"]
    deliveries = read(caller, "/api/v1/deliveries", query)
    names = {s["id"]: s["name"] for s in subscriptions}
    done = DONE.get(request.args.get("done", ""))
    html = render_template(
        "pages/admin/delivery.html", subscriptions=subscriptions, deliveries=deliveries,
        names=names, kinds=list(KIND_NAMES), events=list(EVENT_NAMES), states=list(STATE_NAMES),
        kind_names=KIND_NAMES, event_names=EVENT_NAMES, state_names=STATE_NAMES, state=state,
        errors=errors or {}, form=request.form, done=done and str(done),
    )  # fmt: skip
    return html, status


@blp.get("/admin/delivery")
@for_person
def delivery() -> Page:
    return _page()


@blp.post("/admin/delivery")
@for_person
def delivery_create() -> Page:
    caller = any_admin()
    form = request.form
    body: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "kind": form.get("kind", ""),
        "target": form.get("target", "").strip(),
        "events": form.getlist("events"),
        "text_format": form.get("text_format") or "markdown",
    }
    for optional in ("unit", "secret"):
        if form.get(optional, "").strip():
            body[optional] = form[optional].strip()
    status, answer = send(caller, "POST", "/api/v1/subscriptions", body)
    if status != 201:
        return _page(_refused(status, answer), status if 400 <= status < 500 else 422)
    if answer.get("secret"):
        return shown_once("pages/admin/delivery_secret.html", subscription=answer)
    return redirect(url_for("pages.delivery", done="created"))


@blp.post("/admin/delivery/<int:subscription_id>/<any(pause, resume, delete):act>")
@for_person
def delivery_change(subscription_id: int, act: str) -> Page:
    caller = any_admin()
    path = f"/api/v1/subscriptions/{subscription_id}"
    if act == "delete":
        status, answer = send(caller, "DELETE", path)
    else:
        status, answer = send(caller, "PUT", path, {"paused": act == "pause"})
    if status >= 400:
        return _page(_refused(status, answer), status)
    done = {"pause": "paused", "resume": "resumed", "delete": "deleted"}[act]
    return redirect(url_for("pages.delivery", done=done))


@blp.post("/admin/delivery/deliveries/<int:delivery_id>/redeliver")
@for_person
def delivery_redeliver(delivery_id: int) -> Page:
    caller = any_admin()
    status, answer = send(caller, "POST", f"/api/v1/deliveries/{delivery_id}/redeliver")
    if status >= 400:
        return _page(_refused(status, answer), status)
    return redirect(url_for("pages.delivery", done="redelivered"))


def _refused(status: int, answer: Any) -> dict[str, str]:
    if status == 403:
        return {"form": str(_l("That is outside the units you administer."))}
    if status == 404:
        return {"form": str(_l("It is gone already; the list below is up to date."))}
    named = ((answer or {}).get("errors") or {}).get("json") or {}
    errors = {field: str(said) for field, said in SAID.items() if field in named}
    return errors or {"form": str(_l("The subscription was not accepted; check the form."))}
