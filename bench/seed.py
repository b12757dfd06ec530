"""Load the benchmark's data set into an empty, migrated database.

The app's own loaders do the content: the starter ``content/`` (3 statutes, 12 monthly
warnings, the 20-question competition ``aqsf-2026``) plus generated files — 1,000 articles
(以案释法 cases and 工作动态 news, cloned from the starter ones with new ids, titles and dates)
— go through :func:`quizapp.content.sync.sync_content`; the bank is topped up to 500 questions
with :func:`quizapp.bank.services.save_question`. The 10,000 finished attempts (participants,
attempts and their 20 paper items each) are written with bulk INSERTs, since going through
the API would take longer than the benchmark itself.

Usage: ``python bench/seed.py`` inside an app environment (``QUIZAPP_DATABASE_URL`` set);
prints a JSON summary (``competition_id``, counts, the URLs the readers open).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp import create_app  # noqa: E402
from quizapp.bank.models import Question, QuestionVersion  # noqa: E402
from quizapp.bank.services import (  # noqa: E402
    drawable_pool,  # noqa: E402
    question_data,
    save_question,
)
from quizapp.content.sync import sync_content  # noqa: E402
from quizapp.contests.models import Attempt, Competition, PaperItem, Participant  # noqa: E402
from quizapp.contests.paper import build_paper  # noqa: E402
from quizapp.core.timeutil import utcnow  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.privacy.phone import encrypt_phone, mask_phone, phone_lookup_hash  # noqa: E402
from quizapp.publishing.models import Item  # noqa: E402

BANK_SIZE = 500
ARTICLES = 1_000
FINISHED_ATTEMPTS = 10_000
COMPETITION = "aqsf-2026"
BATCH = 2_000


def _content_dir(articles: int) -> Path:
    """Copy content/ to a temporary folder and add *articles* cases and news cloned from the starter ones."""
    target = Path(tempfile.mkdtemp(prefix="quizapp-bench-content-"))
    shutil.copytree(ROOT / "content", target, dirs_exist_ok=True)
    sources = sorted((ROOT / "content" / "cases").glob("*.md")) + sorted((ROOT / "content" / "news").glob("*.md"))
    for number in range(articles):
        source = sources[number % len(sources)]
        text = source.read_text(encoding="utf-8")
        day = (utcnow() - timedelta(days=1 + number)).date().isoformat()
        text = re.sub(r"^id: (.+)$", rf"id: bench-{number:04d}-\1", text, count=1, flags=re.M)
        text = re.sub(r"^title: (.+)$", rf"title: \1（第{number + 1}篇）", text, count=1, flags=re.M)
        text = re.sub(r"^date: .+$", f"date: '{day}'", text, count=1, flags=re.M)
        (target / source.parent.name / f"bench-{number:04d}.md").write_text(text, encoding="utf-8")
    return target


def _top_up_bank(size: int) -> int:
    """Clone starter questions under new uids until the bank holds *size*; return the count."""
    rows = db.session.execute(
        select(Question, QuestionVersion).join(QuestionVersion, Question.current_version_id == QuestionVersion.id).order_by(Question.id)
    ).all()
    starters = [question_data(question, version) for question, version in rows]
    count = len(starters)
    number = 0
    while count < size:
        data = dict(starters[number % len(starters)])
        data["uid"] = f"bench-{number:04d}-{data['uid']}"[:64]
        data["stem"] = f"{data['stem']}（练习{number + 1}）"
        save_question(data)
        count += 1
        number += 1
    db.session.commit()
    return count


def _finished_attempts(competition: Competition, count: int, seed: int = 20261129) -> None:
    """Insert *count* participants, each with one submitted attempt of 20 scored paper items."""
    rng = random.Random(seed)
    pool = drawable_pool()
    now = utcnow()
    organizations = competition.organizations or ["区应急管理局"]
    encrypted = encrypt_phone("13900000000")  # one ciphertext for all: decrypting is not what is measured
    participant_id = (db.session.scalar(select(func.max(Participant.id))) or 0) + 1
    attempt_id = (db.session.scalar(select(func.max(Attempt.id))) or 0) + 1
    papers = [
        build_paper(
            competition.paper_rule, pool, f"bench-{index}", shuffle_questions=True, shuffle_options=True,
            default_points=competition.default_points or {},
        )
        for index in range(20)  # 20 distinct papers are enough for realistic rows
    ]
    for start in range(0, count, BATCH):
        participants, attempts, items = [], [], []
        for offset in range(min(BATCH, count - start)):
            index = start + offset
            phone = f"139{index:08d}"
            started = now - timedelta(hours=rng.randint(1, 240), seconds=rng.randint(0, 3599))
            duration = rng.randint(120, competition.time_limit_s)
            paper = papers[index % len(papers)]
            awarded = [item.points if rng.random() < 0.7 else 0.0 for item in paper]
            score = round(sum(awarded), 2)
            submitted = started + timedelta(seconds=duration)
            participants.append(
                {
                    "id": participant_id, "competition_id": competition.id, "name": f"参赛者{index}",
                    "phone_encrypted": encrypted, "phone_hmac": phone_lookup_hash(phone), "phone_masked": mask_phone(phone),
                    "organization": organizations[index % len(organizations)], "group": "public" if index % 3 else "practitioner",
                    "consent_at": started, "created_at": started, "best_attempt_id": attempt_id, "best_score": score,
                    "best_duration_s": duration, "best_submitted_at": submitted,
                }
            )
            attempts.append(
                {
                    "id": attempt_id, "competition_id": competition.id, "participant_id": participant_id,
                    "token_hash": f"{index:064x}", "seed": f"bench-{index % len(papers)}", "status": "submitted",
                    "started_at": started, "deadline_at": started + timedelta(seconds=competition.time_limit_s),
                    "submitted_at": submitted, "score": score, "max_score": sum(item.points for item in paper),
                    "duration_s": duration, "passed": score >= competition.pass_mark,
                }
            )
            for position, (item, points) in enumerate(zip(paper, awarded, strict=True), start=1):
                items.append(
                    {
                        "attempt_id": attempt_id, "position": position, "question_version_id": item.candidate.version_id,
                        "option_order": list(item.option_order), "points": item.points, "answer": None,
                        "answered_at": submitted, "points_awarded": points, "is_correct": points > 0,
                    }
                )
            participant_id += 1
            attempt_id += 1
        # Core INSERTs of plain rows (executemany), not ORM objects: the ids are given, nothing to read back.
        db.session.execute(insert(Participant.__table__), [_columns(Participant, row) for row in participants])
        db.session.execute(insert(Attempt.__table__), attempts)
        db.session.execute(insert(PaperItem.__table__), items)
        db.session.commit()


def _columns(model, row: dict) -> dict:
    """Rename attribute keys to column names where they differ (``group`` is ``participant_group``)."""
    mapper = model.__mapper__
    return {mapper.attrs[key].columns[0].name: value for key, value in row.items()}


def _reset_sequences() -> None:
    """Move PostgreSQL's id sequences past the ids inserted explicitly."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("participant", "attempt"):
        db.session.execute(
            db.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        )
    db.session.commit()


def reader_urls() -> dict[str, list[str]]:
    """Return the pages readers open: a case, a law article and a monthly warning (lists of paths)."""
    cases = db.session.scalars(select(Item.uid).where(Item.kind == "case").order_by(Item.id).limit(200)).all()
    warnings = db.session.scalars(select(Item.period).where(Item.kind == "warning")).all()
    return {
        "cases": [f"/cases/{uid}" for uid in cases],
        "law_articles": [f"/laws/anquan-shengchan-fa/{number}" for number in range(1, 60)],
        "warnings": [f"/warnings/{period[:4]}/{int(period[5:])}" for period in warnings if period],
    }


def seed() -> dict:
    """Load everything into the app's database; return the summary."""
    started = time.monotonic()
    app = create_app()
    with app.app_context():
        phases = {}
        content = _content_dir(ARTICLES)
        try:
            sync_content(content)
        finally:
            shutil.rmtree(content, ignore_errors=True)
        phases["content_s"] = round(time.monotonic() - started, 1)
        bank = _top_up_bank(BANK_SIZE)
        phases["bank_s"] = round(time.monotonic() - started, 1)
        competition = db.session.scalar(select(Competition).where(Competition.slug == COMPETITION))
        _finished_attempts(competition, FINISHED_ATTEMPTS)
        _reset_sequences()
        phases["attempts_s"] = round(time.monotonic() - started, 1)
        summary = {
            "competition_id": competition.id,
            "organizations": competition.organizations,
            "questions": bank,
            "articles": db.session.scalar(select(func.count(Item.id)).where(Item.kind.in_(("case", "news")))),
            "finished_attempts": db.session.scalar(select(func.count(Attempt.id)).where(Attempt.status == "submitted")),
            "seconds": round(time.monotonic() - started, 1),
            **phases,
            **reader_urls(),
        }
    return summary


if __name__ == "__main__":
    print(json.dumps(seed(), ensure_ascii=False))
