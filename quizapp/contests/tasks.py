"""Scheduled jobs of the competitions domain (idempotent, own app context, commit themselves)."""

from __future__ import annotations

from datetime import datetime

from quizapp.contests.services import expire_overdue_attempts

#: (job id, function, interval seconds) registered by ``quizapp.scheduler``.
JOBS = [("contests.sweep_overdue_attempts", "quizapp.contests.tasks:sweep_overdue_attempts", 60)]


def sweep_overdue_attempts(now: datetime | None = None) -> int:
    """Score attempts left open past deadline + grace as they stand; return how many.

    Safe to run twice or beside requests: each close is a conditional UPDATE.
    """
    return expire_overdue_attempts(now)
