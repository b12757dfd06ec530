"""Top-level ``flask`` command groups: ``content`` and ``scheduler``; domains add their own."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from quizapp.content.banks import ContentError

content_cli = AppGroup("content", help="Load the starter content from content/.")
scheduler_cli = AppGroup("scheduler", help="Run the background scheduler (APScheduler).")


@content_cli.command("sync")
@click.option(
    "--directory",
    type=click.Path(exists=True, file_okay=False),
    help="Content folder (default: QUIZAPP_CONTENT_DIR or content/).",
)
@click.option("--report", type=click.Choice(["text", "json"]), default="text")
def content_sync(directory: str | None, report: str) -> None:
    """Load banks and competitions idempotently; nothing is written if any file is invalid."""
    from quizapp.content.sync import sync_content

    try:
        result = sync_content(directory or current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        raise click.ClickException(str(exc)) from None
    if report == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    for kind, counts in result.as_dict().items():
        summary = ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "none"
        click.echo(f"{kind}: {summary}")
    for conflict in result.conflicts:
        click.echo(f"conflict: {conflict}", err=True)


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the scheduler in this process until interrupted (one per deployment)."""
    from quizapp.scheduler import run_blocking

    click.echo("scheduler running; Ctrl+C to stop")
    run_blocking(current_app._get_current_object())


def register(app: Flask) -> None:
    """Add the command groups to *app*."""
    from quizapp.accounts.cli import users_cli
    from quizapp.bank.cli import bank_cli
    from quizapp.contests.cli import contests_cli
    from quizapp.laws.cli import laws_cli

    app.cli.add_command(content_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(contests_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(laws_cli)
