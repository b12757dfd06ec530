"""``flask laws import FILE`` and ``flask bank check-citations`` (added to the bank domain's ``bank`` group)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from quizapp.bank.cli import bank_cli

laws_cli = AppGroup("laws", help="The law library (法律法规库).")


@laws_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--report", type=click.Choice(["text", "json"]), default="text")
def import_command(files: tuple[Path, ...], report: str) -> None:
    """Import LawRefBook Markdown statute FILES; the same text again changes nothing.

    A changed text of a known law (same title line) becomes a new version; the
    version whose revision notes name the latest date is in force, the others are
    kept and marked superseded. ``--report json`` prints one object per file:
    ``{"title", "slug", "version", "chapters", "articles", "outcome", "is_current"}``.
    """
    from quizapp.laws.services import import_law_file

    for path in files:
        try:
            result = import_law_file(path)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        if report == "json":
            click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            state = "in force" if result.is_current else "superseded"
            click.echo(
                f"{path.name}: {result.title} ({result.slug}) version {result.version} {result.outcome}, "
                f"{state}; {result.chapters} chapters, {result.articles} articles"
            )


@bank_cli.command("check-citations")
@click.option("--report", type=click.Choice(["text", "json"]), default="text")
def check_citations_command(report: str) -> None:
    """List every citation (question, and any kind registered later) the law library cannot back; exit 1 if any."""
    from quizapp.laws.citations import check_citations

    problems = check_citations()
    if report == "json":
        click.echo(json.dumps([problem.as_dict() for problem in problems], ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(f"{problem.kind} {problem.ref}: {problem.citation} — {problem.problem}: {problem.detail}")
        click.echo(f"{len(problems)} citation problem(s)" if problems else "every citation names an article in force")
    if problems:
        raise SystemExit(1)
