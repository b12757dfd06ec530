"""Read competitions in the ``quizapp-competition/1`` YAML format (see ``content/README.md``)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from quizapp.bank.models import QUESTION_TYPES
from quizapp.content.banks import UID, ContentError
from quizapp.contests.models import AUDIENCES
from quizapp.core.timeutil import local_to_utc

COMPETITION_FORMAT = "quizapp-competition/1"
#: ``status:`` of a competition file → ``Competition.is_published`` (as the publicity files' ``status``).
STATUSES = {"published": True, "draft": False}
RELATIVE = re.compile(r"^\+(\d+)([dh])$")


def read_competition(path: Path) -> dict:
    """Return a competition file as a dict ready for :func:`quizapp.content.sync.sync_competition`.

    ``window.starts`` stays symbolic (``"on_load"`` or a naive local datetime);
    :func:`resolve_window` turns it into UTC when it is loaded.

    Raises:
        ContentError: naming the file for every format violation.

    """
    raw_text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(raw_text) or {}
    where = path.name
    if document.get("format") != COMPETITION_FORMAT:
        raise ContentError(f"{where}: format must be {COMPETITION_FORMAT!r}")
    slug = str(document.get("id", ""))
    if not UID.match(slug):
        raise ContentError(f"{where}: id {slug!r} must match [a-z0-9-]+")
    paper = document.get("paper") or {}
    rule = _paper_rule(paper, where)
    points = {kind: float(value) for kind, value in (document.get("points") or {}).items()}
    if not set(points) <= set(QUESTION_TYPES):
        raise ContentError(f"{where}: points has an unknown question type")
    window = document.get("window") or {}
    limit = int(document.get("time_limit_s", 900))
    if limit <= 0:
        raise ContentError(f"{where}: time_limit_s must be positive")
    retention = _retention_days(document, where)
    audience = str(document.get("audience", "all"))
    if audience not in AUDIENCES:
        raise ContentError(f"{where}: audience must be one of {', '.join(AUDIENCES)}")
    status = str(document.get("status", "published"))
    if status not in STATUSES:
        raise ContentError(f"{where}: status must be published (default) or draft")
    return {
        "slug": slug,
        "title": str(document.get("title", "")).strip() or slug,
        "description": str(document.get("description", "")).strip(),
        "starts": window.get("starts", "on_load"),
        "ends": window.get("ends"),
        "timezone": document.get("timezone", "Asia/Shanghai"),
        "time_limit_s": limit,
        "attempts_allowed": int(document.get("attempts_allowed", 1)),
        "pass_mark": float(document.get("pass_mark", 60)),
        "partial_credit_multiple": bool(document.get("partial_credit_multiple", False)),
        "organizations": [str(name) for name in document.get("organizations") or []],
        "allow_other_organization": bool(document.get("allow_other_organization", True)),
        "default_points": points,
        "paper_rule": rule,
        "shuffle_questions": bool(paper.get("shuffle_questions", True)),
        "shuffle_options": bool(paper.get("shuffle_options", True)),
        "audience": audience,
        "is_published": STATUSES[status],
        **_prize(document.get("prize") or {}, where),
        "source_hash": hashlib.sha256(json.dumps(document, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest(),
    } | ({"retention_days": retention} if "retention_days" in document else {})


def _prize(prize: dict, where: str) -> dict:
    """Return the 有奖问答 columns from ``prize: {description, threshold, winners}`` (all optional)."""
    if not isinstance(prize, dict):
        raise ContentError(f"{where}: prize must be a mapping with description, threshold, winners")
    threshold, winners = prize.get("threshold"), prize.get("winners")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold < 0):
        raise ContentError(f"{where}: prize.threshold must be a score (points, 0 or more)")
    if winners is not None and (isinstance(winners, bool) or not isinstance(winners, int) or winners < 1):
        raise ContentError(f"{where}: prize.winners must be a whole number (1 or more)")
    return {
        "prize_description": str(prize.get("description") or "").strip(),
        "prize_threshold": float(threshold) if threshold is not None else None,
        "prize_winners": winners,
    }


def _retention_days(document: dict, where: str) -> int | None:
    """Return ``retention_days`` (whole days ≥ 0, or None = keep); a file without it leaves the value alone."""
    value = document.get("retention_days")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ContentError(f"{where}: retention_days must be a whole number of days (0 or more) or null")
    return value


def _paper_rule(paper: dict, where: str) -> dict:
    if "fixed" in paper:
        return {"fixed": [str(uid) for uid in paper["fixed"]]}
    rules = []
    for rule in paper.get("rules") or []:
        if not isinstance(rule.get("count"), int) or rule["count"] < 1:
            raise ContentError(f"{where}: each paper rule needs a positive count")
        if rule.get("type") and rule["type"] not in QUESTION_TYPES:
            raise ContentError(f"{where}: paper rule type {rule['type']!r} is unknown")
        rules.append({key: rule[key] for key in ("category", "type", "count", "difficulty") if rule.get(key) is not None})
    if not rules:
        raise ContentError(f"{where}: paper needs `fixed` or `rules`")
    return {"rules": rules}


def resolve_window(data: dict, loaded_at: datetime, previous_start: datetime | None) -> tuple[datetime, datetime | None]:
    """Return (starts_at, ends_at) in UTC.

    ``on_load`` keeps the first load's start (*previous_start*) so re-syncing
    never moves an open window; ``ends`` may be ``null``, a local time, or
    ``+Nd``/``+Nh`` after the start.
    """
    starts = data["starts"]
    if starts == "on_load":
        starts_at = previous_start or loaded_at
    else:
        starts_at = _local(starts, data["timezone"])
    ends = data["ends"]
    if ends is None:
        return starts_at, None
    match = RELATIVE.match(str(ends))
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        return starts_at, starts_at + (timedelta(days=amount) if unit == "d" else timedelta(hours=amount))
    return starts_at, _local(ends, data["timezone"])


def _local(value, zone: str) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return local_to_utc(moment.replace(tzinfo=None), zone) if moment.tzinfo is None else moment
