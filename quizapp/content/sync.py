"""``flask content sync``: load ``content/`` idempotently, all or nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from quizapp.bank.services import save_question
from quizapp.content.banks import ContentError, read_bank
from quizapp.content.competitions import read_competition, resolve_window
from quizapp.contests.models import Competition
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db


@dataclass
class SyncReport:
    """What a sync did: counts of created/updated/unchanged per kind."""

    questions: Counter = field(default_factory=Counter)
    competitions: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        """Return whether anything was created or updated."""
        return any(kind in counter for counter in (self.questions, self.competitions) for kind in ("created", "updated"))

    def as_dict(self) -> dict:
        """Return the report as plain dicts (for ``--report json``)."""
        return {"questions": dict(self.questions), "competitions": dict(self.competitions)}


def sync_content(directory: str | Path) -> SyncReport:
    """Load every bank and competition under *directory* in one transaction.

    Banks (``banks/*.yaml``) are read first so competitions can name their
    questions. A second run with the same files changes nothing.

    Raises:
        ContentError: for any invalid file; nothing is written then.

    """
    root = Path(directory)
    questions = [question for path in sorted(root.glob("banks/*.yaml")) for question in read_bank(path)]
    _check_unique([q["uid"] for q in questions], "question id")
    competitions = [read_competition(path) for path in sorted(root.glob("competitions/*.yaml"))]
    _check_unique([c["slug"] for c in competitions], "competition id")
    report = SyncReport()
    try:
        for data in questions:
            report.questions[save_question(data)[1]] += 1
        db.session.flush()
        for data in competitions:
            report.competitions[sync_competition(data)] += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _check_unique(ids: list[str], what: str) -> None:
    duplicates = sorted(uid for uid, count in Counter(ids).items() if count > 1)
    if duplicates:
        raise ContentError(f"duplicate {what}: {', '.join(duplicates)}")


def sync_competition(data: dict) -> str:
    """Create or update a competition by slug; return ``created|updated|unchanged``."""
    competition = db.session.scalar(select(Competition).where(Competition.slug == data["slug"]))
    if competition is not None and competition.source_hash == data["source_hash"]:
        return "unchanged"
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
