"""``flask content sync``: load ``content/`` idempotently, all or nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from quizapp.bank.lifecycle import sync_question
from quizapp.content.banks import ContentError, read_bank
from quizapp.content.competitions import read_competition, resolve_window
from quizapp.contests.models import Competition
from quizapp.core.errors import ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.laws.parser import LawFormatError
from quizapp.laws.services import save_law_file
from quizapp.publicity.loader import read_publicity, sync_publicity_files


@dataclass
class SyncReport:
    """What a sync did: counts of created/updated/unchanged per kind."""

    laws: Counter = field(default_factory=Counter)
    questions: Counter = field(default_factory=Counter)
    competitions: Counter = field(default_factory=Counter)
    #: publicity counts per kind folder (``cases``, ``warnings`` …) and staff-edit conflicts
    publicity: dict[str, Counter] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Return whether anything was created or updated."""
        counters = (self.laws, self.questions, self.competitions, *self.publicity.values())
        return any(kind in counter for counter in counters for kind in ("created", "updated", "revised"))

    def as_dict(self) -> dict:
        """Return the counts as plain dicts (for ``--report json``): questions, competitions, then each publicity folder."""
        return {
            "laws": dict(self.laws),
            "questions": dict(self.questions),
            "competitions": dict(self.competitions),
            **{folder: dict(counts) for folder, counts in self.publicity.items()},
        }


def _sync_laws(root: Path, report: SyncReport) -> None:
    """Store each ``laws/*.md`` statute (a new law, a new version, or nothing)."""
    for path in sorted(root.glob("laws/*.md")):
        try:
            report.laws[save_law_file(path).outcome] += 1
        except (LawFormatError, ValueError) as exc:
            raise ContentError(str(exc)) from exc
    db.session.flush()


def sync_content(directory: str | Path) -> SyncReport:
    """Load every statute, bank and competition under *directory* in one transaction.

    Statutes (``laws/*.md``, see :func:`quizapp.laws.services.save_law_file`) come
    first so the library can check citations; banks (``banks/*.yaml``) are read first so competitions can name their
    questions; then the publicity files (``cases/``, ``warnings/`` …, see
    :func:`quizapp.publicity.loader.sync_publicity`). A second run with the same
    files changes nothing.

    Raises:
        ContentError: for any invalid file; nothing is written then.

    """
    root = Path(directory)
    banks = [(path.name, read_bank(path)) for path in sorted(root.glob("banks/*.yaml"))]
    _check_unique([(name, question["uid"]) for name, items in banks for question in items], "question id")
    files = [(path.name, read_competition(path)) for path in sorted(root.glob("competitions/*.yaml"))]
    _check_unique([(name, competition["slug"]) for name, competition in files], "competition id")
    publicity_files = read_publicity(root)
    report = SyncReport()
    try:
        _sync_laws(root, report)
        now = utcnow()
        for name, items in banks:
            for data in items:
                try:
                    report.questions[sync_question(data, now, report.conflicts, where=name)] += 1
                except ValidationFailed as exc:  # e.g. a type change: report it like a format error
                    raise ContentError(f"{name} ({data['uid']}): {exc.message}") from exc
        db.session.flush()
        for name, data in files:
            outcome = sync_competition(data)
            report.competitions[outcome] += 1
            if outcome == "conflict":
                report.conflicts.append(f"{name}: competition {data['slug']} was edited by staff in the workspace; the file was not loaded")
        publicity = sync_publicity_files(publicity_files, now)
        report.publicity = publicity.counts
        report.conflicts.extend(publicity.conflicts)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _check_unique(entries: list[tuple[str, str]], what: str) -> None:
    """Raise ContentError naming each id used more than once and the files that use it."""
    files: dict[str, list[str]] = {}
    for file_name, uid in entries:
        files.setdefault(uid, []).append(file_name)
    duplicates = [f"{uid} (in {', '.join(names)})" for uid, names in sorted(files.items()) if len(names) > 1]
    if duplicates:
        raise ContentError(f"duplicate {what}: {'; '.join(duplicates)}")


def sync_competition(data: dict) -> str:
    """Create or update a competition by slug; return ``created|updated|unchanged|conflict``.

    A competition that staff created or edited in the workspace (``staff_edited_at`` set)
    is never overwritten by its file: a changed file gives ``conflict`` and loads nothing.
    """
    competition = db.session.scalar(select(Competition).where(Competition.slug == data["slug"]))
    if competition is not None and competition.source_hash == data["source_hash"]:
        return "unchanged"
    if competition is not None and competition.staff_edited_at is not None:
        return "conflict"
    starts_at, ends_at = resolve_window(data, utcnow(), competition.starts_at if competition else None)
    outcome = "updated" if competition else "created"
    if competition is None:
        competition = Competition(slug=data["slug"])
        db.session.add(competition)
    fields = {key: value for key, value in data.items() if key not in ("slug", "starts", "ends", "timezone")}
    for key, value in fields.items():
        setattr(competition, key, value)
    competition.starts_at, competition.ends_at = starts_at, ends_at
    return outcome
