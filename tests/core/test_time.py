"""Time contract (quizapp.core.types.UTCDateTime, quizapp.core.timeutil): store UTC, show Shanghai."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from quizapp.contests.models import Competition
from quizapp.core.timeutil import format_local, isoformat, local_to_utc, parse_iso
from quizapp.core.types import UTCDateTime

NINE_AM_SHANGHAI = datetime(2026, 6, 1, 9, 0)


def make_competition(db, starts_at: datetime) -> Competition:
    competition = Competition(slug="time-test", title="时间测试", starts_at=starts_at)
    db.session.add(competition)
    db.session.commit()
    return competition


def test_local_to_utc_reads_a_naive_time_as_shanghai():
    assert local_to_utc(NINE_AM_SHANGHAI, "Asia/Shanghai") == datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


def test_nine_am_shanghai_is_stored_as_one_am_utc(db):
    make_competition(db, local_to_utc(NINE_AM_SHANGHAI, "Asia/Shanghai"))
    if db.engine.dialect.name == "sqlite":
        stored = db.session.execute(text("SELECT starts_at FROM competition")).scalar_one()
        assert isinstance(stored, str)
        assert stored.startswith("2026-06-01 01:00:00")
    else:
        stored = db.session.execute(text("SELECT starts_at AT TIME ZONE 'UTC' FROM competition")).scalar_one()
        assert stored == datetime(2026, 6, 1, 1, 0)


def test_stored_time_reads_back_aware_utc_and_displays_nine_am(db, app):
    make_competition(db, local_to_utc(NINE_AM_SHANGHAI, "Asia/Shanghai"))
    db.session.expire_all()
    starts_at = db.session.scalar(select(Competition.starts_at))
    assert starts_at.utcoffset() == timedelta(0)
    assert starts_at == datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    assert isoformat(starts_at) == "2026-06-01T09:00:00+08:00"
    assert format_local(starts_at) == "2026-06-01 09:00"
    assert format_local(starts_at, "%H:%M") == "09:00"


def test_an_aware_time_in_another_offset_is_stored_as_the_same_instant(db):
    new_york_evening = datetime(2026, 5, 31, 21, 0, tzinfo=timezone(timedelta(hours=-4)))
    make_competition(db, new_york_evening)
    db.session.expire_all()
    assert db.session.scalar(select(Competition.starts_at)) == datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


def test_binding_a_naive_datetime_raises(db):
    db.session.add(Competition(slug="naive", title="naive", starts_at=NINE_AM_SHANGHAI))
    with pytest.raises(StatementError) as caught:
        db.session.flush()
    assert isinstance(caught.value.orig, ValueError)
    assert "naive datetime" in str(caught.value.orig)
    db.session.rollback()


def test_process_bind_param_refuses_naive_and_keeps_none(db):
    column_type = UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column_type.process_bind_param(NINE_AM_SHANGHAI, db.engine.dialect)
    assert column_type.process_bind_param(None, db.engine.dialect) is None


@pytest.mark.parametrize(
    "value",
    [
        "2026-06-01T01:00:00Z",
        "2026-06-01T01:00:00+00:00",
        "2026-06-01T09:00:00+08:00",
        "2026-06-01T09:00:00",
        " 2026-06-01T09:00:00+08:00 ",
    ],
    ids=["Z", "+00:00", "+08:00", "naive-is-shanghai", "surrounding-space"],
)
def test_parse_iso_returns_aware_utc_for_any_offset(value):
    parsed = parse_iso(value)
    assert parsed == datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    assert parsed.tzinfo is UTC


def test_parse_iso_refuses_non_iso_text():
    with pytest.raises(ValueError):
        parse_iso("2026年6月1日 9点")


def test_none_passes_through_display_helpers():
    assert isoformat(None) is None
    assert format_local(None) == ""
