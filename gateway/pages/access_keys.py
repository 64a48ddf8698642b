"""``/admin/keys``: an admin of the whole organisation manages the systems' API keys on a page.

The same functions and the same audit as ``/api/v1/auth/keys`` (gateway/keys_api.py): a key
is listed by its prefix only; a new or rotated secret is shown once, on the answer to the form
that made it (never in a URL, never logged, never cached), with a warning; rotating and
revoking ask to confirm first. Each confirming form carries the key's current prefix, so a
form sent twice (a reload) finds the key changed and changes nothing more.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway import keys, keys_api
from gateway.pages import blp, key_form
from gateway.pages.admins import org_admin, shown_once
from gateway.pages.errors import page
from gateway.pages.visitor import for_person
from services.common.db import current_db

Page = str | tuple[str, int] | Response

DONE = {"revoked": _l("The key is revoked: it no longer works.")}


def _listing(typed: key_form.KeyForm | None = None, status: int = 200) -> tuple[str, int]:
    with current_db().read() as session:
        rows = [keys_api.as_json(row) for row in keys.list_keys(session)]
    done = DONE.get(request.args.get("done", ""))
    form = typed or key_form.KeyForm(scopes=["events"])
    html = render_template(
        "pages/access/keys.html", keys=rows, form=form, errors=form.errors, scopes=keys.SCOPES,
        done=done and str(done),
    )  # fmt: skip
    return html, status


@blp.get("/admin/keys")
@for_person
def access_keys() -> Page:
    org_admin()
    return _listing()


@blp.post("/admin/keys")
@for_person
def access_key_create() -> Page:
    org_admin()
    typed = key_form.read(request.form)
    if typed.errors:
        return _listing(typed, 422)
    try:
        with current_db().write() as session:
            secret = keys.create_key(session, typed.name, typed.scopes,
                                     expires_at=typed.expires_at, event_types=typed.type_list,
                                     units=typed.unit_list)  # fmt: skip
            row = keys.find_key(session, typed.name)
            keys_api.audit(session, "key-create", typed.name, detail=keys_api.described(row))
            shown = keys_api.as_json(row)
    except keys.KeyProblem as problem:
        typed.errors.update(key_form.said(problem))
        return _listing(typed, problem.status)
    return shown_once("pages/access/key_secret.html", key=shown, secret=secret, rotated=False)


@blp.get("/admin/keys/<name>/<any(rotate, revoke):act>")
@for_person
def access_key_confirm(name: str, act: str) -> Page:
    """Are you sure? The key as it is now, and what the act will do to it."""
    org_admin()
    with current_db().read() as session:
        shown = keys_api.as_json(keys.find_key(session, name))
    return _confirming(shown, act, {})


def _confirming(
    shown: dict[str, object], act: str, errors: dict[str, str], status: int = 200
) -> tuple[str, int]:
    html = render_template("pages/access/key_confirm.html", key=shown, act=act, errors=errors)
    return html, status


@blp.post("/admin/keys/<name>/rotate")
@for_person
def access_key_rotate(name: str) -> Page:
    org_admin()
    keys_api.not_itself(name, "rotate")
    with current_db().read() as session:
        shown = keys_api.as_json(keys.find_key(session, name))
    if _changed(shown):
        return _stale()
    typed = request.form.get("expires_on", "")
    expires_at, wrong = key_form.expiry_of(typed)
    if wrong:
        return _confirming(shown, "rotate", {"expires_on": wrong}, 422)
    keep = keys.Keep.EXPIRY if not typed.strip() else expires_at
    try:
        with current_db().write() as session:
            row, old_prefix, secret = keys.rotate_key(session, name, keep)
            keys_api.audit(session, "key-rotate", name, detail=f"was lk_{old_prefix}")
            shown = keys_api.as_json(row)
    except keys.KeyProblem as problem:
        said = _("The key has expired: give it a new last day.")
        return _confirming(shown, "rotate", {"expires_on": said}, problem.status)
    keys_api.forget(old_prefix)
    return shown_once("pages/access/key_secret.html", key=shown, secret=secret, rotated=True)


@blp.post("/admin/keys/<name>/revoke")
@for_person
def access_key_revoke(name: str) -> Page:
    org_admin()
    keys_api.not_itself(name, "revoke")
    with current_db().read() as session:
        shown = keys_api.as_json(keys.find_key(session, name))
    if _changed(shown):
        return _stale()
    with current_db().write() as session:
        prefix, was_active = keys.revoke_key(session, name)
        keys_api.audit(session, "key-revoke", name, detail="" if was_active else "already revoked")
    keys_api.forget(prefix)
    return redirect(url_for("pages.access_keys", done="revoked"))


def _changed(shown: dict[str, object]) -> bool:
    """The form was for another secret of the key (it was rotated, or the form sent twice)."""
    return request.form.get("prefix") != shown["prefix"] or shown["status"] == keys.REVOKED


def _stale() -> tuple[str, int]:
    return page(409, None)
