"""Read question banks in the ``quizapp-bank/1`` YAML format (see ``content/README.md``)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from quizapp.bank.models import QUESTION_TYPES

BANK_FORMAT = "quizapp-bank/1"
BLANK = "____"
UID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
OPTION_KEY = re.compile(r"^[a-z0-9]{1,8}$")


class ContentError(ValueError):
    """A content file breaks the format; the message names the file and item."""


def option_public_id(question_uid: str, option_key: str) -> str:
    """Return the stable opaque option id for an option key of a question (10 hex chars)."""
    return hashlib.sha256(f"{question_uid}:{option_key}".encode()).hexdigest()[:10]


def read_bank(path: Path) -> list[dict]:
    """Return the questions of a bank file as ``save_question`` dicts.

    Raises:
        ContentError: naming the file and the question for every format violation.

    """
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if document.get("format") != BANK_FORMAT:
        raise ContentError(f"{path.name}: format must be {BANK_FORMAT!r}")
    default_category = document.get("category", "")
    return [
        question_from_item(item, default_category, f"{path.name} question {index}")
        for index, item in enumerate(document.get("questions") or [], start=1)
    ]


def question_from_item(item: dict, default_category: str, where: str) -> dict:
    """Convert one YAML question to the bank's shapes (opaque option ids, typed key)."""
    uid = str(item.get("id", ""))
    if not UID.match(uid):
        raise ContentError(f"{where}: id {uid!r} must match [a-z0-9-]+")
    where = f"{where} ({uid})"
    kind = item.get("type")
    if kind not in QUESTION_TYPES:
        raise ContentError(f"{where}: type must be one of {', '.join(QUESTION_TYPES)}")
    stem = str(item.get("stem") or "").strip()
    if not stem:
        raise ContentError(f"{where}: stem is empty")
    options, key = _key_and_options(item, kind, uid, stem, where)
    difficulty = int(item.get("difficulty", 3))
    if not 1 <= difficulty <= 5:
        raise ContentError(f"{where}: difficulty must be 1..5")
    return {
        "uid": uid,
        "type": kind,
        "stem": stem,
        "options": options,
        "key": key,
        "explanation": str(item.get("explanation") or "").strip(),
        "legal_basis": _legal_basis(item.get("legal_basis") or [], where),
        "points": float(item["points"]) if item.get("points") is not None else None,
        "category": item.get("category") or default_category,
        "difficulty": difficulty,
        "tags": list(item.get("tags") or []),
    }


def _key_and_options(item: dict, kind: str, uid: str, stem: str, where: str) -> tuple[list, object]:
    if kind in ("single_choice", "multiple_choice"):
        return _choice(item, kind, uid, where)
    if kind == "true_false":
        if not isinstance(item.get("answer"), bool):
            raise ContentError(f"{where}: true_false needs answer: true or false")
        return [], item["answer"]
    blanks = item.get("blanks")
    if not isinstance(blanks, list) or not blanks or not all(isinstance(b, list) and b for b in blanks):
        raise ContentError(f"{where}: fill_blank needs blanks: [[accepted, …], …]")
    if stem.count(BLANK) != len(blanks):
        raise ContentError(f"{where}: stem has {stem.count(BLANK)} blanks ({BLANK}) but {len(blanks)} answers")
    return [], [[str(alt) for alt in blank] for blank in blanks]


def _choice(item: dict, kind: str, uid: str, where: str) -> tuple[list, object]:
    raw = item.get("options") or []
    if not 2 <= len(raw) <= 8:
        raise ContentError(f"{where}: a choice question needs 2 to 8 options")
    keys = [str(option.get("id", "")) for option in raw]
    if len(set(keys)) != len(keys) or not all(OPTION_KEY.match(key) for key in keys):
        raise ContentError(f"{where}: option ids must be unique [a-z0-9]+")
    options = [
        {"id": option_public_id(uid, key), "text": str(option.get("text", "")).strip()}
        for key, option in zip(keys, raw, strict=True)
    ]
    if not all(option["text"] for option in options):
        raise ContentError(f"{where}: an option has no text")
    correct = [option_public_id(uid, key) for key, option in zip(keys, raw, strict=True) if option.get("correct") is True]
    if kind == "single_choice" and len(correct) != 1:
        raise ContentError(f"{where}: single_choice needs exactly one correct option")
    if kind == "multiple_choice" and len(correct) < 2:
        raise ContentError(f"{where}: multiple_choice needs two or more correct options")
    return options, correct[0] if kind == "single_choice" else correct


def _legal_basis(raw: list, where: str) -> list[dict]:
    basis = []
    for entry in raw:
        if not isinstance(entry, dict) or not entry.get("law") or not isinstance(entry.get("article"), int):
            raise ContentError(f"{where}: legal_basis entries need law and an integer article")
        basis.append({"law": str(entry["law"]), "article": entry["article"], "quote": str(entry.get("quote") or "")})
    return basis
