"""``flask --app gateway keys ...``: create, list, rotate and revoke API keys; and
``flask --app gateway accounts create-admin --staff-no A001``: the first admin.

    flask --app gateway keys create --name checkin-terminal --scope events [--scope read]
        [--expires 2027-06-30T00:00:00+08:00] [--event-type attendance] [--unit north]
    flask --app gateway keys list
    flask --app gateway keys rotate checkin-terminal [--expires ... | --never-expires]
    flask --app gateway keys revoke checkin-terminal

``create`` and ``rotate`` write their notes to stderr and the key alone to stdout, as the last
line, so ``KEY=$(flask --app gateway keys create ... | tail -1)`` captures it. Each change is
in the audit log (actor "cli"), as the admins' API records its own (gateway/keys_api.py).
Migrations are run elsewhere (``services.common.migrations.upgrade("gateway", url)``) before
these commands.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway import accounts, keys, passwords
from gateway.accounts import AccountProblem
from gateway.auth import KeyCache
from gateway.keys import SCOPES, KeyProblem
from gateway.models import Account
from services.common.db import current_db

keys_cli = AppGroup("keys", help="Create, list, rotate and revoke API keys.")


# Without an offset a time is UTC (gateway/keys.py).
TIMES = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"]
EXPIRES = click.option(
    "--expires", type=click.DateTime(TIMES), default=None, help="When it stops working (UTC)."
)


@keys_cli.command("create")
@click.option("--name", required=True, help="Who holds the key; services see it as X-Sender.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(SCOPES),
    help="Repeat for several; admin implies the others.",
)
@EXPIRES
@click.option("--event-type", "event_types", multiple=True, help="Only these types; repeat.")
@click.option("--unit", "units", multiple=True, help="Only members of these units' subtrees.")
def create(
    name: str,
    scopes: tuple[str, ...],
    expires: datetime | None,
    event_types: tuple[str, ...],
    units: tuple[str, ...],
) -> None:
    """Create a key and print it once: it cannot be shown again."""
    try:
        with current_db().write() as session:
            key = keys.create_key(session, name, scopes, expires_at=expires,
                                  event_types=event_types, units=units)  # fmt: skip
            accounts.audit(session, "cli", "key-create", "ok", subject=name)
    except KeyProblem as exc:
        raise click.ClickException(str(exc)) from exc
    note = f"Created key {name!r} ({' '.join(scopes)}). Store it now: it is shown only once."
    click.echo(note, err=True)
    click.echo(key)


@keys_cli.command("list")
def list_() -> None:
    """List keys (never their secrets)."""
    with current_db().read() as session:
        rows = keys.list_keys(session)
    if not rows:
        click.echo("No API keys.")
        return
    line = "{:<24} {:<11} {:<19} {:<17} {:<17} {:<17} {:<25} {}"
    click.echo(
        line.format(
            "NAME", "PREFIX", "SCOPES", "CREATED", "LAST USED", "EXPIRES", "STATUS", "LIMITS"
        )  # fmt: skip
    )
    for row in rows:
        status = keys.status_of(row)
        if status == keys.REVOKED:
            status = f"revoked {_when(row.revoked_at)}"
        limits = " ".join(filter(None, (row.event_types, row.units and f"units: {row.units}")))
        click.echo(
            line.format(
                row.name,
                f"lk_{row.prefix}",
                row.scopes,
                _when(row.created_at),
                _when(row.last_used_at),
                _when(row.expires_at),
                status,
                limits or "-",
            )
        )


@keys_cli.command("rotate")
@click.argument("name")
@EXPIRES
@click.option("--never-expires", is_flag=True, help="Drop the key's expiry.")
def rotate(name: str, expires: datetime | None, never_expires: bool) -> None:
    """Give a key a new secret and print it once; the old one stops working. The name, scopes
    and limits stay, and the expiry unless --expires or --never-expires says otherwise."""
    if expires and never_expires:
        raise click.UsageError("Give --expires or --never-expires, not both.")
    expiry = None if never_expires else expires or keys.Keep.EXPIRY
    try:
        with current_db().write() as session:
            _, old_prefix, key = keys.rotate_key(session, name, expiry)
            accounts.audit(session, "cli", "key-rotate", "ok", subject=name,
                           detail=f"was lk_{old_prefix}")  # fmt: skip
    except KeyProblem as exc:
        raise click.ClickException(str(exc)) from exc
    _forget(old_prefix)
    click.echo(f"Rotated key {name!r}. Store it now: it is shown only once.", err=True)
    click.echo(key)


@keys_cli.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke a key by name; it stops working within seconds everywhere."""
    try:
        with current_db().write() as session:
            prefix, was_active = keys.revoke_key(session, name)
            detail = "" if was_active else "already revoked"
            accounts.audit(session, "cli", "key-revoke", "ok", subject=name, detail=detail)
    except KeyProblem as exc:
        raise click.ClickException(str(exc)) from exc
    _forget(prefix)
    click.echo(f"Revoked key {name!r}." if was_active else f"Key {name!r} was already revoked.")


def _forget(prefix: str) -> None:
    cache: KeyCache | None = current_app.extensions.get("gateway.keys")
    if cache is not None:
        cache.forget(prefix)  # this process at once; the others when their cache expires


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%MZ") if moment else "-"


accounts_cli = AppGroup("accounts", help="People's accounts: the first admin.")


@accounts_cli.command("create-admin")
@click.option("--staff-no", required=True, help="The admin's staff number.")
@click.option(
    "--password",
    "ask",
    is_flag=True,
    help="Type a password (asked twice) instead of getting a one-time one.",
)
def create_admin(staff_no: str, ask: bool) -> None:
    """Create an account with the admin role and print its one-time password (or ask for one).

    This is how the first admin comes to be, before the organisation's members are loaded:
    the staff number is not checked against the points service, as the API's account
    creation does. For an existing account, it grants the admin role and sets a new
    one-time password.
    """
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True) if ask else None
    try:
        with current_db().write() as session:
            shown = _admin_account(session, staff_no, password)
    except AccountProblem as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{staff_no} is an admin; the password must be changed at first sign-in.", err=True)
    if shown:
        click.echo(shown)


def _admin_account(session: Session, staff_no: str, password: str | None) -> str | None:
    existing = session.scalar(select(Account).where(Account.staff_no == staff_no))
    if existing is None:
        account, shown = accounts.create(session, staff_no, password)
    else:
        shown = None if password else passwords.one_time_password()
        account = existing
        accounts.set_password(session, account, password or shown or "", must_change=True)
    accounts.grant(session, account, accounts.STAFF, "")
    accounts.grant(session, account, accounts.ADMIN, "")
    accounts.audit(session, "cli", "account-admin", "ok", subject=staff_no)
    return shown
