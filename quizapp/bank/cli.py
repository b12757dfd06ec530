"""``flask bank …``: import and export question banks (see docs/import-formats.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from quizapp.bank.formats import FORMATS, writable_formats

bank_cli = AppGroup("bank", help="Question banks: import and export files.")


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)), help="Default: detected from the content.")
@click.option("--category", help="Parent category path (A/B) for the imported questions.")
@click.option("--dry-run", is_flag=True, help="Write nothing; report what would be imported.")
@click.option("--partial", is_flag=True, help="Write the valid questions even when others have errors.")
@click.option("--report", "report_format", type=click.Choice(["text", "json"]), default="text")
def import_command(file: Path, format_name: str | None, category: str | None, dry_run: bool, partial: bool, report_format: str) -> None:
    """Import FILE; exit status 1 when there was any error, in every mode."""
    from quizapp.bank.imports import import_bank

    report = import_bank(
        file.read_bytes(), filename=file.name, format_name=format_name, category=category, dry_run=dry_run, partial=partial
    )
    if report_format == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _echo_text(report)
    if not report.ok:
        sys.exit(1)


def _echo_text(report) -> None:
    verb = "would import" if report.dry_run else "imported"
    click.echo(
        f"format {report.format}: {verb} {len(report.imported)}, duplicates {len(report.duplicates)}, "
        f"skipped {len(report.skipped)}, errors {len(report.errors)}"
    )
    for entry in report.duplicates:
        click.echo(f"  line {entry.line}: duplicate {entry.uid}: {entry.reason}")
    for issue in sorted(report.skipped, key=lambda issue: issue.line):
        click.echo(f"  line {issue.line}: skipped: {issue.message}")
    for issue in sorted(report.errors, key=lambda issue: (issue.line, issue.column)):
        where = f"line {issue.line}" + (f", column {issue.column}" if issue.column else "")
        click.echo(f"  {where}: error: {issue.message}")
    if report.errors and not report.written:
        click.echo("nothing was written" + ("" if report.dry_run else " (use --partial to write the valid questions)"))


@bank_cli.command("export")
@click.option("--format", "format_name", type=click.Choice(writable_formats()), required=True)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_command(format_name: str, file: Path) -> None:
    """Export the active bank to FILE; questions the format cannot hold are listed, not written."""
    from quizapp.bank.imports import export_bank

    content, count, left_out = export_bank(format_name)
    file.write_bytes(content)
    click.echo(f"exported {count} question(s) to {file}")
    for issue in left_out:
        click.echo(f"  left out {issue.message}")
