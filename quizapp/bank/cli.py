"""``flask bank …``: import and export question banks (see docs/import-formats.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from quizapp.bank.formats import FORMATS, writable_formats

bank_cli = AppGroup("bank", help="Question banks: import and export files.")


def _category(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Normalise ``--category``: full-width ／ is /, each segment trimmed, empty segments dropped; all blank is a usage error."""
    if value is None:
        return None
    segments = [segment.strip() for segment in value.replace("／", "/").split("/")]
    path = "/".join(segment for segment in segments if segment)
    if not path:
        raise click.BadParameter("分类路径为空（应写作 A/B）", ctx=ctx, param=param)
    return path


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)), help="Default: detected from the content.")
@click.option("--category", callback=_category, help="Parent category path (A/B) for the imported questions.")
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
    imported, updated = ("would import", "would update") if report.dry_run else ("imported", "updated")
    click.echo(
        f"format {report.format}: {imported} {len(report.imported)}, {updated} {len(report.updated)}, "
        f"duplicates {len(report.duplicates)}, skipped {len(report.skipped)}, errors {len(report.errors)}"
    )
    for entry in report.updated:
        click.echo(f"  line {entry.line}: {updated} {entry.uid} (new version)")
    for entry in report.duplicates:
        click.echo(f"  line {entry.line}: duplicate {entry.uid}: {entry.reason}")
    for issue in sorted(report.skipped, key=lambda issue: issue.line):
        click.echo(f"  line {issue.line}: skipped: {issue.message}")
    for issue in sorted(report.warnings, key=lambda issue: issue.line):
        click.echo(f"  line {issue.line}: warning: {issue.message}")
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

    if not file.parent.is_dir():
        raise click.BadParameter(f"目录不存在：{file.parent}", param_hint="FILE")
    content, count, left_out = export_bank(format_name)
    try:
        file.write_bytes(content)
    except OSError as exc:
        raise click.ClickException(f"无法写入 {file}：{exc.strerror or '写入失败'}") from None
    click.echo(f"exported {count} question(s) to {file}")
    for issue in left_out:
        click.echo(f"  left out {issue.message}")
