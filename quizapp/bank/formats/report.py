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

    ``imported``: the questions written (or that would be); ``duplicates``:
    questions already in the bank or earlier in the file (not added);
    ``skipped``: items of types quizapp does not have; ``errors``: problems
    that stop the import unless it is partial. ``written`` says whether
    anything was committed.
    """

    format: str
    imported: list[Entry] = field(default_factory=list)
    duplicates: list[Entry] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        """Return whether there was no error."""
        return not self.errors

    def as_dict(self) -> dict:
        """Return the report as JSON-ready data.

        Shape: ``{"format", "imported": N, "duplicates": N, "skipped": [{"line", "reason"}],
        "errors": [{"line", "column", "message"}], "dry_run", "written",
        "questions": [{"line", "uid"}], "duplicate_questions": [{"line", "uid", "reason"}]}``.
        """
        return {
            "format": self.format,
            "imported": len(self.imported),
            "duplicates": len(self.duplicates),
            "skipped": [issue.as_skip() for issue in sorted(self.skipped, key=lambda issue: issue.line)],
            "errors": [issue.as_error() for issue in sorted(self.errors, key=lambda issue: (issue.line, issue.column))],
            "dry_run": self.dry_run,
            "written": self.written,
            "questions": [{"line": entry.line, "uid": entry.uid} for entry in self.imported],
            "duplicate_questions": [{"line": entry.line, "uid": entry.uid, "reason": entry.reason} for entry in self.duplicates],
        }
