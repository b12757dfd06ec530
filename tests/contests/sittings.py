"""Build scored competitions straight in the database, for results, statistics and the year's figures.

Unlike :mod:`tests.contests.factories` (which goes through the API and draws random papers),
these helpers write exactly the marks a test names, so expected statistics can be
computed by hand from the test itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from quizapp.bank.models import Question, QuestionVersion
from quizapp.contests.models import Attempt, Competition, PaperItem, Participant
from quizapp.extensions import db
from quizapp.privacy.phone import encrypt_phone, mask_phone, phone_lookup_hash


def make_competition(
    title: str, starts_at: datetime, *, pass_mark: float = 2, organizations=("甲单位", "乙单位"), slug=None, published: bool = True
) -> Competition:
    """Add a competition open from *starts_at* for 30 days (published unless *published* is False)."""
    competition = Competition(
        slug=slug or f"c-{title}",
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=30),
        pass_mark=pass_mark,
        organizations=list(organizations),
        attempts_allowed=3,
        is_published=published,
    )
    db.session.add(competition)
    db.session.flush()
    return competition


def make_version(
    uid: str, *, kind: str = "single_choice", points: float = 1, number: int = 1, question: Question | None = None
) -> QuestionVersion:
    """Add a question (or a new version of *question*) with a two-option key."""
    if question is None:
        question = Question(uid=uid, type=kind, category="测试")
        db.session.add(question)
        db.session.flush()
    options = [{"id": f"{uid}a", "text": "甲"}, {"id": f"{uid}b", "text": "乙"}]
    key = [f"{uid}a"] if kind == "multiple_choice" else (True if kind == "true_false" else f"{uid}a")
    version = QuestionVersion(
        question=question, number=number, type=kind, stem=f"{uid} 的题干 v{number}", options=options, key=key,
        points=points, content_hash=f"{uid}-{number}",
    )  # fmt: skip
    db.session.add(version)
    db.session.flush()
    question.current_version_id = version.id
    return version


def make_participant(competition: Competition, name: str, phone: str, organization: str = "甲单位", group: str = "public") -> Participant:
    """Add a participant with the number encrypted, hashed and masked as the service does."""
    participant = Participant(
        competition_id=competition.id, name=name, phone_encrypted=encrypt_phone(phone), phone_hmac=phone_lookup_hash(phone),
        phone_masked=mask_phone(phone), organization=organization, group=group, consent_at=competition.starts_at,
        created_at=competition.starts_at,
    )  # fmt: skip
    db.session.add(participant)
    db.session.flush()
    return participant


def sit(
    participant: Participant,
    marks: list[tuple[QuestionVersion, float]],
    started_at: datetime,
    duration_s: int | None,
    *,
    answered: bool = True,
) -> Attempt:
    """Add an attempt whose items earned *marks* ``[(version, points awarded)]``, in that paper order.

    An item is correct when it earned its full points. With *duration_s* None the attempt
    stays open (not scored); otherwise it is submitted *duration_s* seconds after the start
    and offered to the participant as their best, as closing an attempt does.
    """
    competition = db.session.get(Competition, participant.competition_id)
    attempt = Attempt(
        competition_id=participant.competition_id, participant_id=participant.id, token_hash="x" * 64, seed="s",
        started_at=started_at, deadline_at=started_at + timedelta(minutes=15), max_score=sum(v.points for v, _ in marks),
    )  # fmt: skip
    db.session.add(attempt)
    db.session.flush()
    for position, (version, awarded) in enumerate(marks, start=1):
        item = PaperItem(attempt_id=attempt.id, position=position, question_version_id=version.id, points=version.points,
                         option_order=[option["id"] for option in version.options])  # fmt: skip
        if answered:
            item.answer, item.answered_at = version.key, started_at + timedelta(seconds=position)
        if duration_s is not None:
            item.points_awarded, item.is_correct = awarded, awarded == version.points
        db.session.add(item)
    if duration_s is not None:
        score = float(sum(awarded for _, awarded in marks))
        attempt.status, attempt.score, attempt.duration_s = "submitted", score, duration_s
        attempt.submitted_at = started_at + timedelta(seconds=duration_s)
        attempt.passed = score >= competition.pass_mark
        db.session.flush()
        participant.offer_result(attempt)
    db.session.flush()
    return attempt


#: Start of the sample competition: 2026-03-01 09:00 in Asia/Shanghai.
SAMPLE_START = datetime.fromisoformat("2026-03-01T01:00:00+00:00")

#: The sample's people: key → (name, phone, 单位, group).
SAMPLE_PEOPLE = {
    "A": ("赵一", "13800000001", "甲单位", "public"),
    "B": ("钱二", "13800000002", "甲单位", "practitioner"),
    "C": ("孙三", "13800000003", "乙单位", "public"),
    "D": ("李四", "13800000004", "某某公司", "practitioner"),  # typed under 其他: not on the list
    "E": ("周五", "13800000005", "甲单位", "public"),
    "F": ("吴六", "13800000006", "乙单位", "practitioner"),
}


def sample_competition() -> dict:
    """Build the hand-computed sample: 5 scored participants on 3 questions, plus a second try and an open attempt.

    Marks on the first attempts (Q1 single 1 pt, Q2 true/false 1 pt, Q3 multiple 2 pts)::

        person  Q1 Q2 Q3  total  duration
        A       1  0  2   3      300 s
        B       1  0  1   2      200 s   (Q3 half marks: 少选, not correct)
        C       1  1  2   4      500 s
        D       0  1  0   1      100 s
        E       0  1  0   1      400 s, then a second attempt 1 1 2 = 4 in 600 s (best, not first)
        F       started, never submitted (open)

    Returns ``{"competition", "versions": {"Q1": …}, "people": {"A": participant …}, "attempts": {"A": […]}}``.
    """
    competition = make_competition("统计样例", SAMPLE_START, pass_mark=2)
    q1 = make_version("Q1", kind="single_choice", points=1)
    q2 = make_version("Q2", kind="true_false", points=1)
    q3 = make_version("Q3", kind="multiple_choice", points=2)
    people = {key: make_participant(competition, *spec) for key, spec in SAMPLE_PEOPLE.items()}
    first = {"A": (1, 0, 2, 300), "B": (1, 0, 1, 200), "C": (1, 1, 2, 500), "D": (0, 1, 0, 100), "E": (0, 1, 0, 400)}
    attempts: dict[str, list[Attempt]] = {}
    for offset, (key, (m1, m2, m3, duration)) in enumerate(first.items()):
        start = SAMPLE_START + timedelta(hours=1, minutes=offset)
        attempts[key] = [sit(people[key], [(q1, m1), (q2, m2), (q3, m3)], start, duration)]
    attempts["E"].append(sit(people["E"], [(q3, 2), (q1, 1), (q2, 1)], SAMPLE_START + timedelta(days=1), 600))
    attempts["F"] = [sit(people["F"], [(q1, 0), (q2, 0), (q3, 0)], SAMPLE_START + timedelta(days=2), None, answered=False)]
    db.session.commit()
    return {"competition": competition, "versions": {"Q1": q1, "Q2": q2, "Q3": q3}, "people": people, "attempts": attempts}
