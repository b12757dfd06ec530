"""练一练 on articles and chapters, the 错题本 kept by a cookie, and 每日一题."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import render_template_string
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.practice import services
from quizapp.practice.learner import COOKIE_NAME
from quizapp.practice.models import Learner, MistakeBookEntry
from tests.contests.factories import inputs_of
from tests.laws.factories import SAFETY_LAW

ARTICLE_28 = f"/laws/{SAFETY_LAW}/28"
PRACTICE_28 = f"{ARTICLE_28}/practice"


def _on_article_28():
    from quizapp.laws.services import get_article, get_version

    return services.questions_on([get_article(get_version(SAFETY_LAW), 28)])


def _fields(version, right: bool) -> dict:
    """Return the form fields answering *version* right or wrong."""
    key, kind = version.key, version.type
    data = {"version": str(version.id)}
    if kind == "single_choice":
        data["choice"] = key if right else next(o["id"] for o in version.options if o["id"] != key)
    elif kind == "multiple_choice":
        data["choices"] = list(key) if right else [next(o["id"] for o in version.options if o["id"] not in key)]
    elif kind == "true_false":
        data["truth"] = "true" if key is right else "false"
    else:
        data.update({f"blanks-{i}": (accepted[0] if right else "不是这个答案") for i, accepted in enumerate(key)})
    return data


def _entries() -> int:
    return db.session.scalar(select(func.count()).select_from(MistakeBookEntry))


def test_article_page_offers_its_questions_without_the_key(client, practice_library):
    versions = _on_article_28()
    page = client.get(ARTICLE_28).get_data(as_text=True)
    first = versions[0]
    assert versions and all(any(b["law"] == "安全生产法" and b["article"] == 28 for b in v.legal_basis) for v in versions)
    assert f"本条 {len(versions)} 题" in page and str(escape(first.stem)) in page
    assert first.explanation not in page and str(escape(first.explanation)) not in page and "正确答案" not in page
    shown = {field.get("value") for field in inputs_of(page) if field.get("name") in ("choice", "choices")}
    assert shown == {option["id"] for option in first.options}  # every option, none marked


def test_an_answer_gets_instant_feedback_with_key_explanation_and_article(client, practice_library):
    version = _on_article_28()[0]
    response = client.post(PRACTICE_28, data=_fields(version, right=True), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "回答正确" in page and "正确答案" in page and str(escape(version.explanation)) in page
    assert "生产经营单位应当对从业人员进行安全生产教育和培训" in page  # the article text
    assert f'<a class="citation" href="{ARTICLE_28}">' in page
    assert f'href="{PRACTICE_28}?q={_on_article_28()[1].question.uid}"' in page  # 下一题


def test_next_question_and_chapter_practice_show_one_question_at_a_time(client, practice_library):
    second = _on_article_28()[1]
    page = client.get(f"{PRACTICE_28}?q={second.question.uid}").get_data(as_text=True)
    chapter = client.get(f"/laws/{SAFETY_LAW}/chapters/2/practice").get_data(as_text=True)
    assert str(escape(second.stem)) in page and "第 2 / " in page
    assert chapter.count("<form") == 1 and "第二章" in chapter


def test_an_empty_or_invalid_answer_is_asked_again(client, practice_library):
    version = _on_article_28()[0]
    response = client.post(PRACTICE_28, data={"version": str(version.id)})
    assert response.status_code == 422 and "请先作答" in response.get_data(as_text=True)
    assert _entries() == 0 and COOKIE_NAME not in response.headers.get("Set-Cookie", "")


def test_a_wrong_answer_enters_the_mistake_book_kept_by_a_long_lived_httponly_cookie(app, client, practice_library):
    version = _on_article_28()[0]
    response = client.post(PRACTICE_28, data=_fields(version, right=False))
    cookie = response.headers["Set-Cookie"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "回答错误" in page and "已收入错题本" in page
    assert cookie.startswith(f"{COOKIE_NAME}=") and "HttpOnly" in cookie and "Max-Age=63072000" in cookie

    book = client.get("/practice/mistakes").get_data(as_text=True)
    stranger = app.test_client().get("/practice/mistakes").get_data(as_text=True)
    same_device = app.test_client()
    same_device.set_cookie(COOKIE_NAME, client.get_cookie(COOKIE_NAME).value)
    assert str(escape(version.stem)) in book
    assert "错题本是空的" in stranger
    assert str(escape(version.stem)) in same_device.get("/practice/mistakes").get_data(as_text=True)


def test_a_tampered_cookie_is_a_new_learner(app, client, practice_library):
    version = _on_article_28()[0]
    client.post(PRACTICE_28, data=_fields(version, right=False))
    forger = app.test_client()
    forger.set_cookie(COOKIE_NAME, db.session.scalar(select(Learner.key)))  # the raw key, unsigned
    assert "错题本是空的" in forger.get("/practice/mistakes").get_data(as_text=True)


def test_wrong_twice_counts_twice_and_one_right_answer_takes_it_out(client, practice_library):
    version = _on_article_28()[0]
    client.post(PRACTICE_28, data=_fields(version, right=False))
    client.post("/practice/mistakes", data=_fields(version, right=False))
    assert db.session.scalar(select(MistakeBookEntry.wrong_count)) == 2
    page = client.post("/practice/mistakes", data=_fields(version, right=True), follow_redirects=True).get_data(as_text=True)
    assert "回答正确" in page and "错题本共 0 题" in page and _entries() == 0
    assert "错题本是空的" in client.get("/practice/mistakes").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Learner)) == 1  # the same learner throughout


def test_every_question_type_is_graded_by_the_bank_graders(client, practice_library):
    from quizapp.bank.models import Question

    for kind in ("single_choice", "multiple_choice", "true_false", "fill_blank"):
        question = db.session.scalar(select(Question).where(Question.type == kind).order_by(Question.uid).limit(1))
        for right in (True, False):
            response = client.post("/practice/mistakes", data=_fields(question.current_version, right), follow_redirects=True)
            page = response.get_data(as_text=True)
            assert ("回答正确" if right else "回答错误") in page, (kind, right)


def test_daily_question_is_a_pure_function_of_the_date(practice_library):
    day = date(2026, 6, 1)
    first = services.daily_question(day)
    assert first is not None and services.daily_question(day).id == first.id
    month = [services.daily_question(day + timedelta(days=offset)).id for offset in range(30)]
    assert len(set(month)) >= 25  # no repeats inside a cycle of len(bank) days


def test_daily_question_follows_the_calendar_in_asia_shanghai():
    assert services.local_day(datetime(2026, 6, 1, 15, 59, tzinfo=UTC)) == date(2026, 6, 1)
    assert services.local_day(datetime(2026, 6, 1, 16, 0, tzinfo=UTC)) == date(2026, 6, 2)


def test_daily_question_is_none_for_an_empty_bank(app):
    assert services.daily_question(date(2026, 6, 1)) is None


def test_the_daily_partial_shows_todays_question_without_the_key_and_takes_answers(app, client, practice_library):
    today = services.daily_question(services.local_day(datetime.now(UTC)))
    with app.test_request_context("/"):
        html = render_template_string('{% include "laws/_daily_question.html" %}')
    assert "每日一题" in html and str(escape(today.stem)) in html and 'action="/practice/daily"' in html
    assert str(escape(today.explanation)) not in html
    feedback = client.post("/practice/daily", data=_fields(today, right=True), follow_redirects=True).get_data(as_text=True)
    assert "回答正确" in feedback


def _two_values(version) -> dict:
    """Return a crafted form sending two different answers to a one-answer question."""
    if version.type == "single_choice":
        return {"version": str(version.id), "choice": [option["id"] for option in version.options[:2]]}
    return {"version": str(version.id), "truth": ["true", "false"]}


def test_two_answers_to_a_one_answer_question_are_refused_in_practice_and_the_daily_question(client, practice_library, monkeypatch):
    """Found by review: ``choice=X&choice=Y`` to 每日一题 was graded (the first value) instead of refused."""
    versions = _on_article_28()
    single = next(version for version in versions if version.type == "single_choice")
    judged = next((version for version in versions if version.type == "true_false"), None)
    monkeypatch.setattr(services, "daily_question", lambda day: single)
    cases = [("/practice/daily", single, "单选题只能选择一个选项"), (PRACTICE_28, single, "单选题只能选择一个选项")]
    if judged is not None:
        cases.append((PRACTICE_28, judged, "判断题只能选择“正确”或“错误”其中之一"))
    for path, version, message in cases:
        response = client.post(path, data=_two_values(version))
        assert response.status_code == 422, path
        assert message in response.get_data(as_text=True)
    assert _entries() == 0  # nothing graded, nothing entered in the 错题本
    assert client.post("/practice/daily", data=_fields(single, right=True)).status_code == 303


def test_an_article_cited_twice_shows_once_with_both_quotes(client, practice_library):
    """Found by review: aqsf-009 cites 第二十一条 twice (two quotes) and the feedback showed the article twice."""
    from quizapp.bank.models import Question

    version = db.session.scalar(select(Question).where(Question.uid == "aqsf-009")).current_version
    quotes = [basis["quote"] for basis in version.legal_basis if basis["article"] == 21]
    assert len(quotes) == 2 and quotes[0] != quotes[1]
    response = client.post(f"/laws/{SAFETY_LAW}/21/practice", data=_fields(version, right=False), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert page.count("法条依据：") == len({(b["law"], b["article"]) for b in version.legal_basis})
    assert page.count(f"法条依据：<a class=\"citation\" href=\"/laws/{SAFETY_LAW}/21\">") == 1
    assert all(page.count(f'<blockquote class="basis">{escape(quote)}</blockquote>') == 1 for quote in quotes)
