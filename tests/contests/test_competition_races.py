"""Competition settings under races and odd input: a lost slug race is the form error, invisible titles are refused.

Review findings: two simultaneous create/duplicate submits gave a 500 (``IntegrityError: UNIQUE
constraint failed: competition.slug``); a title of only three spaces, a U+200B and a space was accepted and trailing
zero-width spaces kept.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.contests import actions, admin
from quizapp.contests.models import Competition
from quizapp.core.errors import ValidationFailed
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from tests.contests.factories import count
from tests.contests.staffing import NOW, known_bank, settings  # noqa: F401
from tests.contests.test_competition_staff import form_data

ACTOR = "staff:7"


def _rival_takes(slug: str, monkeypatch) -> None:
    """Let another request insert a competition with *slug* after validation passed, before our insert."""
    validate = admin.validate_settings

    def validate_then_lose_the_race(*args, **kwargs):
        clean = validate(*args, **kwargs)
        rival = Competition(**{name: getattr(clean, name) for name in admin.SETTING_NAMES}, is_published=False, created_at=NOW)
        rival.slug, rival.title = slug, "另一位同事的竞赛"
        db.session.add(rival)
        db.session.commit()
        return clean

    monkeypatch.setattr(admin, "validate_settings", validate_then_lose_the_race)
    monkeypatch.setattr(actions, "validate_settings", validate_then_lose_the_race)


def test_a_create_that_loses_the_slug_race_gets_the_form_error(known_bank, monkeypatch):  # noqa: F811
    _rival_takes("aqy-2026", monkeypatch)
    with pytest.raises(ValidationFailed) as caught:
        admin.create_competition(settings(), ACTOR, NOW)
    assert caught.value.fields == {"slug": "网址标识 aqy-2026 已被「另一位同事的竞赛」使用"}
    assert count(Competition) == 1
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "competition_create")) is None


def test_a_duplicate_that_loses_the_slug_race_gets_the_form_error(known_bank, monkeypatch):  # noqa: F811
    source = admin.create_competition(settings(), ACTOR, NOW)
    _rival_takes("aqy-2026-copy", monkeypatch)
    with pytest.raises(ValidationFailed) as caught:
        actions.duplicate_competition(source.id, "aqy-2026-copy", "副本", ACTOR, NOW)
    assert caught.value.fields == {"slug": "网址标识 aqy-2026-copy 已被「另一位同事的竞赛」使用"}
    assert count(Competition) == 2


def test_the_create_page_shows_the_race_as_a_form_error(known_bank, monkeypatch, client, make_staff, login_as):  # noqa: F811
    login_as(client, make_staff("editor"))
    _rival_takes("race-page", monkeypatch)
    form = form_data(slug="race-page")
    response = client.post("/staff/competitions/new", data=form)
    assert response.status_code == 422, response.get_data(as_text=True)[:2000]
    assert "网址标识 race-page 已被「另一位同事的竞赛」使用" in response.get_data(as_text=True)


@pytest.mark.parametrize("title", ["   \u200b ", "\u200b\u200b", "\u202e", "竞赛\u200b", "\u200b竞赛"])
def test_a_title_with_invisible_characters_is_refused(known_bank, title):  # noqa: F811
    with pytest.raises(ValidationFailed) as caught:
        admin.create_competition(settings(title=title), ACTOR, NOW)
    assert set(caught.value.fields) == {"title"}
    assert count(Competition) == 0


def test_a_title_is_nfc_normalised_and_trimmed(known_bank):  # noqa: F811
    competition = admin.create_competition(settings(title="  Cafe\u0301 安全月 "), ACTOR, NOW)
    assert competition.title == "Café 安全月"


def test_a_duplicate_title_of_invisible_characters_is_refused(known_bank):  # noqa: F811
    source = admin.create_competition(settings(), ACTOR, NOW)
    with pytest.raises(ValidationFailed) as caught:
        actions.duplicate_competition(source.id, "copy-x", " \u200b ", ACTOR, NOW)
    assert set(caught.value.fields) == {"title"}
