"""``flask users …``: create the first admin account from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.core.errors import DomainError

users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create-admin")
@click.argument("username")
@click.option("--display-name", default="", help="姓名 (default: the username).")
@click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码", help="Prompted for when omitted.")
def create_admin(username: str, display_name: str, password: str) -> None:
    """Create an admin account (the first one, or another); refuses weak passwords and taken names."""
    from quizapp.accounts.services import create_user

    try:
        user = create_user(username, display_name or username, password, ["admin"], actor="system:cli")
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created admin {user.username} (id {user.id})")
