"""Practice pages: 练一练 on an article or a chapter, the 错题本, 每日一题.

Each page shows one question without its key (GET, ``?q=<uid>`` picks it). A POST
grades the answer, keeps its result in the session and redirects (303) to
``?feedback=<uid>``, which shows the verdict, key, 解析 and the article text: so a
reload shows the feedback again without grading (or counting a mistake) twice. The
key reaches the page only through the learner's own answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import redirect, render_template, request, session, url_for

from quizapp.core.errors import ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.laws import services as laws
from quizapp.practice import bp, services
from quizapp.practice.forms import PracticeForm, practice_form
from quizapp.practice.learner import learner_key, remember_learner

#: The session entry holding the learner's last practice answer (a :func:`services.feedback_record`).
LAST_ANSWER = "practice_last_answer"


@dataclass
class Scope:
    """What is being practised: a heading, where 'back' goes, this page's URL and its questions."""

    title: str
    back_url: str
    back_label: str
    url: str
    versions: list


@bp.route("/laws/<slug>/<int:number>/practice", methods=["GET", "POST"], defaults={"suffix": 0})
@bp.route("/laws/<slug>/<int:number>-<int:suffix>/practice", methods=["GET", "POST"])
def article_practice(slug: str, number: int, suffix: int):
    """Practise the questions whose legal basis is this article (``36-1`` addresses 第三十六条之一)."""
    article = laws.get_article(laws.get_version(slug), number, suffix)
    back = (
        url_for("laws.article_suffixed", slug=slug, number=number, suffix=suffix) if suffix
        else url_for("laws.article", slug=slug, number=number)
    )
    scope = Scope(
        f"练一练：《{article.version.law.short_name}》{article.label}",
        back,
        f"返回{article.label}",
        url_for("practice.article_practice", slug=slug, number=number, suffix=suffix),
        services.questions_on([article]),
    )
    return _practise(scope)


@bp.route("/laws/<slug>/chapters/<int:ordinal>/practice", methods=["GET", "POST"])
def chapter_practice(slug: str, ordinal: int):
    """Practise the questions whose legal basis lies in this chapter."""
    version = laws.get_version(slug)
    chapter, articles = laws.get_chapter(version, ordinal)
    scope = Scope(
        f"练一练：《{version.law.short_name}》{chapter.heading}",
        url_for("laws.chapter", slug=slug, ordinal=ordinal),
        f"返回{chapter.label}",
        url_for("practice.chapter_practice", slug=slug, ordinal=ordinal),
        services.questions_on(articles),
    )
    return _practise(scope)


@bp.route("/practice/mistakes", methods=["GET", "POST"])
def mistakes():
    """Practise the questions in this device's 错题本; a right answer takes a question out."""
    scope = Scope("我的错题本", url_for("laws.index"), "返回法律法规库", url_for("practice.mistakes"), services.mistake_book(learner_key()))
    return _practise(scope, empty="错题本是空的：答错的题会自动收入这里，答对后移出。")


@bp.route("/practice/daily", methods=["GET", "POST"])
def daily():
    """Answer 每日一题 (the same question for everyone on a given day in Asia/Shanghai)."""
    question = services.daily_question(services.local_day(utcnow()))
    scope = Scope("每日一题", url_for("public.home"), "返回首页", url_for("practice.daily"), [question] if question else [])
    return _practise(scope, empty="题库暂无题目。")


def _practise(scope: Scope, empty: str = "暂无与此相关的题目。"):
    if request.method == "POST":
        return _answer(scope)
    if "feedback" in request.args:
        return _feedback(scope, request.args["feedback"])
    uids = [version.question.uid for version in scope.versions]
    wanted = request.args.get("q")
    index = uids.index(wanted) if wanted in uids else 0
    question = services.present(scope.versions[index], learner_key()) if scope.versions else None
    form = practice_form(question) if question else None
    return render_template(
        "practice/question.html", scope=scope, question=question, form=form, position=index + 1, total=len(uids), empty=empty
    )


def _answer(scope: Scope):
    form = PracticeForm()
    if not form.validate_on_submit():
        raise ValidationFailed("提交无效，请返回刷新后重试")
    version = services.get_question_version(form.version_id)
    try:
        feedback = services.answer(version.id, form.raw_answer(version.type), learner_key(), utcnow())
    except ValidationFailed as exc:
        question = services.present(version, learner_key())
        form = practice_form(question, formdata=request.form)
        uids = [v.question.uid for v in scope.versions]
        position = uids.index(question["uid"]) + 1 if question["uid"] in uids else 1
        page = render_template(
            "practice/question.html", scope=scope, question=question, form=form, position=position, total=len(uids), error=exc.message
        )
        return page, 422
    uid = feedback.question["uid"]
    # "下一题" is taken from the list as it was before this answer (a right answer leaves the 错题本).
    session[LAST_ANSWER] = {**services.feedback_record(feedback), "scope": scope.url, "next": services.next_uid(scope.versions, uid)}
    response = redirect(f"{scope.url}?{urlencode({'feedback': uid})}", code=303)
    if feedback.learner_key != learner_key():
        remember_learner(response, feedback.learner_key)
    return response


def _feedback(scope: Scope, uid: str):
    record = session.get(LAST_ANSWER)
    if not isinstance(record, dict) or record.get("scope") != scope.url or record.get("uid") != uid:
        return redirect(f"{scope.url}?{urlencode({'q': uid})}")
    feedback = services.restore_feedback(record, learner_key())
    following = record.get("next")
    return render_template(
        "practice/feedback.html",
        scope=scope,
        question=feedback.question,
        feedback=feedback,
        next_url=f"{scope.url}?{urlencode({'q': following})}" if following else None,
        mistake_count=len(services.mistake_book(learner_key())),
    )


def daily_practice() -> dict | None:
    """Return today's 每日一题 for ``laws/_daily_question.html``: ``{question, form, action}``, or None."""
    version = services.daily_question(services.local_day(utcnow()))
    if version is None:
        return None
    question = services.present(version, learner_key())
    return {"question": question, "form": practice_form(question), "action": url_for("practice.daily")}


bp.add_app_template_global(daily_practice, "daily_practice")
