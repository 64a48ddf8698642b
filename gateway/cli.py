"""``flask --app gateway keys ...``: create, list and revoke API keys; and
``flask --app gateway accounts create-admin --staff-no A001``: the first admin.

    flask --app gateway keys create --name checkin-terminal --scope events [--scope read]
    flask --app gateway keys list
    flask --app gateway keys revoke checkin-terminal

``create`` writes its notes to stderr and the key alone to stdout, as the last line, so
``KEY=$(flask --app gateway keys create ... | tail -1)`` captures it. Migrations are run
elsewhere (``services.common.migrations.upgrade("gateway", url)``) before these commands.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway import accounts, passwords
from gateway.accounts import AccountProblem
from gateway.auth import KeyCache
from gateway.keys import SCOPES, KeyProblem, create_key, list_keys, revoke_key
from gateway.models import Account
from services.common.db import current_db

keys_cli = AppGroup("keys", help="Create, list and revoke API keys.")


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
def create(name: str, scopes: tuple[str, ...]) -> None:
    """Create a key and print it once: it cannot be shown again."""
    try:
        with current_db().write() as session:
            key = create_key(session, name, scopes)
    except KeyProblem as exc:
        raise click.ClickException(str(exc)) from exc
    note = f"Created key {name!r} ({' '.join(scopes)}). Store it now: it is shown only once."
    click.echo(note, err=True)
    click.echo(key)


@keys_cli.command("list")
def list_() -> None:
    """List keys (never their secrets)."""
    with current_db().read() as session:
        rows = list_keys(session)
    if not rows:
        click.echo("No API keys.")
        return
    line = "{:<24} {:<11} {:<19} {:<17} {:<17} {}"
    click.echo(line.format("NAME", "PREFIX", "SCOPES", "CREATED", "LAST USED", "STATUS"))
    for row in rows:
        status = "active" if row.active else f"revoked {_when(row.revoked_at)}"
        click.echo(
            line.format(
                row.name,
                f"lk_{row.prefix}",
                row.scopes,
                _when(row.created_at),
                _when(row.last_used_at),
                status,
            )
        )


@keys_cli.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke a key by name; it stops working within seconds everywhere."""
    try:
        with current_db().write() as session:
            prefix, was_active = revoke_key(session, name)
    except KeyProblem as exc:
        raise click.ClickException(str(exc)) from exc
    cache: KeyCache | None = current_app.extensions.get("gateway.keys")
    if cache is not None:
        cache.forget(prefix)  # this process at once; the others when their cache expires
    click.echo(f"Revoked key {name!r}." if was_active else f"Key {name!r} was already revoked.")


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
