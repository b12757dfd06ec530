"""``flask contests …`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

contests_cli = AppGroup("contests", help="Knowledge competitions.")


@contests_cli.command("expire")
def expire() -> None:
    """Score every attempt left open past its deadline (the sweep, run once)."""
    from quizapp.contests.tasks import sweep_overdue_attempts

    click.echo(f"closed {sweep_overdue_attempts()} overdue attempt(s)")
