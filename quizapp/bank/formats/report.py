"""The result of an import, the same for every format (``--report json`` prints :meth:`ImportReport.as_dict`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.bank.formats.base import Issue


@dataclass(frozen=True)
class Entry:
    """A question of the file by its line and uid; for a duplicate, ``reason`` says what it duplicates."""

    line: int
    uid: str
    reason: str = ""


@dataclass
class ImportReport:
    """What an import did, or would do under ``--dry-run``.

    ``imported``: the new questions written (or that would be); ``updated``:
    questions of the bank (same uid) whose content changed, saved as a new
    version; ``duplicates``: questions already in the bank or earlier in the
    file (not added); ``skipped``: items quizapp cannot take (types it does not
    have, pictures); ``errors``: problems that stop the import unless it is
    partial; ``warnings``: things staff should look at that do not stop it.
    ``written`` says whether anything was committed.
    """

    format: str
    imported: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)
    duplicates: list[Entry] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        """Return whether there was no error."""
        return not self.errors

    def as_dict(self) -> dict:
        """Return the report as JSON-ready data.

        Shape: ``{"format", "imported": N, "updated": N, "duplicates": N, "skipped": [{"line", "reason"}],
        "errors": [{"line", "column", "message"}], "warnings": [{"line", "message"}], "dry_run", "written",
        "questions": [{"line", "uid"}], "updated_questions": [{"line", "uid"}],
        "duplicate_questions": [{"line", "uid", "reason"}]}``.
        """
        return {
            "format": self.format,
            "imported": len(self.imported),
            "updated": len(self.updated),
            "duplicates": len(self.duplicates),
            "skipped": [issue.as_skip() for issue in sorted(self.skipped, key=lambda issue: issue.line)],
            "errors": [issue.as_error() for issue in sorted(self.errors, key=lambda issue: (issue.line, issue.column))],
            "warnings": [{"line": issue.line, "message": issue.message} for issue in sorted(self.warnings, key=lambda issue: issue.line)],
            "dry_run": self.dry_run,
            "written": self.written,
            "questions": [{"line": entry.line, "uid": entry.uid} for entry in self.imported],
            "updated_questions": [{"line": entry.line, "uid": entry.uid} for entry in self.updated],
            "duplicate_questions": [{"line": entry.line, "uid": entry.uid, "reason": entry.reason} for entry in self.duplicates],
        }
