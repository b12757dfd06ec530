"""Keep live competitions answerable: refuse to take off the site a question their papers need.

Registered as the ``question`` kind's retire guard (:func:`quizapp.publishing.models.register_retire_guard`),
so archiving or withdrawing a question in the content workflow runs it first. Rule (review finding
"archiving a question silently breaks a live competition"): a published competition that is not
yet closed needs question *q* when

- its fixed paper names *q*, or
- its draw rules are satisfiable for every seed with today's drawable bank
  (:func:`~quizapp.contests.paper_check.check_paper_rule`) and no longer without *q*.

A competition whose rule is already unsatisfiable for other reasons does not block the step
(the competition page shows its problem to staff). A question that is not drawable now (a draft,
a scheduled question not yet due) is never needed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from quizapp.bank.models import Question
from quizapp.bank.services import drawable_pool
from quizapp.contests.models import Competition
from quizapp.contests.paper_check import check_paper_rule
from quizapp.core.errors import Conflict
from quizapp.extensions import db
from quizapp.publishing.models import Item, register_retire_guard

ACTION_LABELS = {"archive": "归档", "withdraw": "撤回"}


def competitions_needing(question_uid: str, now: datetime) -> list[Competition]:
    """Return the published, not yet closed competitions whose paper could no longer be built without *question_uid*.

    *now* is aware UTC. Ordered by start, then id. One query for the competitions, the bank pool
    from :func:`~quizapp.bank.services.drawable_pool` (cached per bank fingerprint).
    """
    pool = drawable_pool(now)
    if not any(candidate.uid == question_uid for candidate in pool):
        return []
    rest = [candidate for candidate in pool if candidate.uid != question_uid]
    live = db.session.scalars(
        select(Competition)
        .where(Competition.is_published.is_(True), or_(Competition.ends_at.is_(None), Competition.ends_at > now))
        .order_by(Competition.starts_at, Competition.id)
    )
    needing = []
    for competition in live:
        rule = competition.paper_rule or {}
        if "fixed" in rule:
            if question_uid in rule["fixed"]:
                needing.append(competition)
        elif check_paper_rule(rule, pool).ok and not check_paper_rule(rule, rest).ok:
            needing.append(competition)
    return needing


def refuse_if_needed(item: Item, action: str, now: datetime) -> None:
    """Retire guard of the ``question`` kind: raise when a live competition needs the item's question.

    Raises:
        Conflict: ``question_in_use`` (409), naming the competitions by title and id.

    """
    question_uid = db.session.scalar(select(Question.uid).where(Question.item_id == item.id))
    if question_uid is None:
        return
    needing = competitions_needing(question_uid, now)
    if not needing:
        return
    names = "、".join(f"《{competition.title}》（编号 {competition.id}）" for competition in needing)
    verb = ACTION_LABELS.get(action, action)
    raise Conflict(
        f"不能{verb}题目 {question_uid}：已发布且未结束的竞赛 {names} 的试卷需要这道题，{verb}后将无法开始答题。"
        f"请先在竞赛管理中修改这些竞赛的试卷，或等竞赛结束后再{verb}。",
        code="question_in_use",
    )


register_retire_guard("question", refuse_if_needed)
