"""Caches: where they live (memory or Redis) and the bank memo that follows every change of the bank."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from quizapp import config as settings
from quizapp.bank.models import Question
from quizapp.bank.services import bank_fingerprint, drawable_pool, question_data, save_question
from quizapp.extensions import db
from quizapp.laws.models import LawArticle
from quizapp.practice.services import daily_question, questions_on


def test_the_cache_is_memory_unless_redis_is_configured(monkeypatch):
    monkeypatch.delenv("QUIZAPP_REDIS_URL", raising=False)
    assert settings.DevelopmentConfig().CACHE_TYPE == "SimpleCache"
    monkeypatch.setenv("QUIZAPP_REDIS_URL", "redis://cache.internal:6379/2")
    config = settings.ProductionConfig()
    url = "redis://cache.internal:6379/2"
    assert (config.CACHE_TYPE, config.CACHE_REDIS_URL, config.RATELIMIT_STORAGE_URI) == ("RedisCache", url, url)


def _by_uid(uid: str) -> Question:
    return db.session.scalar(select(Question).where(Question.uid == uid))


def test_the_drawable_pool_follows_new_questions_deactivation_and_metadata_edits(synced):
    before = {candidate.uid: candidate for candidate in drawable_pool()}
    assert drawable_pool() is drawable_pool()  # kept while the bank is unchanged
    template = _by_uid("aqsf-001")
    data = question_data(template, template.current_version)

    save_question({**data, "uid": "cache-new-1", "stem": "新增的题目（　　）"})
    db.session.commit()
    assert set(candidate.uid for candidate in drawable_pool()) == set(before) | {"cache-new-1"}

    _by_uid("cache-new-1").is_active = False
    db.session.commit()
    assert set(candidate.uid for candidate in drawable_pool()) == set(before)

    save_question({**data, "category": "安全生产法/改过的类别"})
    db.session.commit()
    edited = next(candidate for candidate in drawable_pool() if candidate.uid == "aqsf-001")
    assert (before["aqsf-001"].category, edited.category) == ("安全生产法/总则", "安全生产法/改过的类别")

    save_question({**data, "stem": data["stem"] + "（修订）", "category": "安全生产法/改过的类别"})
    db.session.commit()
    revised = next(candidate for candidate in drawable_pool() if candidate.uid == "aqsf-001")
    assert revised.version_id == _by_uid("aqsf-001").current_version_id != before["aqsf-001"].version_id


def test_practice_finds_a_new_question_on_its_article_and_the_daily_pick_stays_in_the_bank(synced):
    template = _by_uid("aqsf-001")
    data = question_data(template, template.current_version)
    article = next(
        article
        for article in db.session.scalars(select(LawArticle).where(LawArticle.number == 3, LawArticle.suffix == 0))
        if article.version.law.short_name == "安全生产法" and not article.version.is_superseded
    )
    on_article = [version.question.uid for version in questions_on([article])]
    assert "aqsf-001" in on_article and "cache-new-2" not in on_article

    save_question({**data, "uid": "cache-new-2", "stem": "又一道第三条的题目（　　）"})
    db.session.commit()
    assert [version.question.uid for version in questions_on([article])] == sorted([*on_article, "cache-new-2"])
    fingerprint = bank_fingerprint()
    assert daily_question(date(2026, 6, 1)).question.is_active
    assert bank_fingerprint() == fingerprint
