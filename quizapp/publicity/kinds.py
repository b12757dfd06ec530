"""The publicity kinds, each with its own fields: a registry keyed by kind name.

A kind turns a content file (YAML front matter + Markdown body) into the revision's
``content`` dict (:meth:`Kind.parse`), derives the item's listing columns from it
(:meth:`Kind.listing`) and gives templates a typed view (:meth:`Kind.view`).

Legal basis shape everywhere: ``[{"law": "安全生产法", "article": 28, "quote": "…"}]``
(``quote`` optional, verbatim from ``content/laws``; the test suite checks every one).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from quizapp.content.banks import ContentError
from quizapp.laws.texts import SHORT_NAMES, format_citation
from quizapp.privacy.names import scrub_name, surname_pseudonym
from quizapp.publicity.rendering import plain_text
from quizapp.search.tokens import search_text

DECISION_NUMBER = re.compile(r"^[（(].+[）)].+罚〔\d{4}〕\d+号$")
PERIOD = re.compile(r"^(20\d{2})-(0[1-9]|1[0-2])$")  # 2000-01 … 2099-12
YEARS = range(2000, 2100)
RECTIFICATION_STATES = ("已整改", "整改中", "停产整顿")
PARTY_TYPES = ("enterprise", "person")


def _require(meta: dict, key: str, where: str) -> object:
    value = meta.get(key)
    if value in (None, "", []):
        raise ContentError(f"{where}: missing {key!r}")
    return value


def _date(meta: dict, key: str, where: str) -> str:
    value = _require(meta, key, where)
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value))
        except ValueError:
            raise ContentError(f"{where}: {key} must be a date YYYY-MM-DD, got {value!r}") from None
    if parsed.year not in YEARS:
        raise ContentError(f"{where}: {key} must lie in the years 2000–2099, got {value!r}")
    return parsed.isoformat()


def parse_legal_basis(entries, where: str, required: bool = True) -> list[dict]:
    """Validate a legal-basis list; return ``[{"law", "article", "quote"?}]``.

    Raises:
        ContentError: for a missing list (when *required*), an unknown law short name or a non-integer article.

    """
    if not entries:
        if required:
            raise ContentError(f"{where}: missing 'legal_basis'")
        return []
    result = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("law") not in SHORT_NAMES or not isinstance(entry.get("article"), int):
            raise ContentError(f"{where}: legal_basis entries need law (one of {sorted(SHORT_NAMES)}) and an integer article")
        basis = {"law": entry["law"], "article": entry["article"]}
        if entry.get("quote"):
            basis["quote"] = str(entry["quote"]).strip()
        result.append(basis)
    return result


def split_sections(body: str, headings: dict[str, str], where: str, optional: tuple[str, ...] = ()) -> dict[str, str]:
    """Split a Markdown body on ``## heading`` lines into fields named by *headings* (heading → field).

    Raises:
        ContentError: for an unknown heading or a missing section that is not in *optional*.

    """
    sections: dict[str, list[str]] = {}
    current = None
    for line in body.splitlines():
        match = re.match(r"^##\s+(.+?)\s*$", line)
        if match:
            if match.group(1) not in headings:
                raise ContentError(f"{where}: unknown section '## {match.group(1)}'; use {list(headings)}")
            current = headings[match.group(1)]
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
        elif line.strip():
            raise ContentError(f"{where}: text before the first section heading")
    result = {name: "\n".join(lines).strip() for name, lines in sections.items()}
    for heading, name in headings.items():
        if not result.get(name) and name not in optional:
            raise ContentError(f"{where}: missing section '## {heading}'")
        result.setdefault(name, "")
    return result


def citations_text(bases: list[dict]) -> str:
    """Return the citations of *bases* as one line: ``《安全生产法》第二十八条、…``."""
    return "、".join(format_citation(basis) for basis in bases)


class Kind(ABC):
    """Base of a publicity kind: name, Chinese label, URL segment and content folder."""

    name = ""
    label = ""
    slug = ""
    folder = ""
    per_page = 10

    @abstractmethod
    def parse(self, meta: dict, body: str, where: str) -> dict:
        """Return the validated content dict of one file. Raises ContentError."""

    @abstractmethod
    def listing(self, content: dict) -> dict:
        """Return the item columns for *content* (see :class:`quizapp.publishing.models.Revision`)."""

    @abstractmethod
    def view(self, content: dict):
        """Return the typed view of *content* for templates."""

    def _listing(self, content: dict, *, title: str, texts: list[str], summary: str = "", **columns) -> dict:
        body_text = " ".join(filter(None, (plain_text(part) for part in texts)))
        return {
            "title": title,
            "summary": summary or body_text[:120],
            "dated": content.get("date"),
            "industry": content.get("industry"),
            "category": None,
            "period": None,
            "is_featured": bool(content.get("featured")),
            "body_text": body_text,
            "search_text": search_text(title, body_text),
            **columns,
        }


@dataclass(frozen=True)
class CaseStudy:
    """以案释法: a case explained through the law."""

    title: str
    date: date
    industry: str
    facts: str
    violation: str
    legal_basis: list
    outcome: str
    lesson: str


class CaseKind(Kind):
    """以案释法 case: facts, violation, legal basis, penalty or outcome, lesson, industry, date."""

    name, label, slug, folder = "case", "以案释法", "cases", "cases"
    SECTIONS = {"基本案情": "facts", "违法行为": "violation", "处理结果": "outcome", "以案释法": "lesson"}

    def parse(self, meta, body, where):
        """Read ``title, date, industry, legal_basis, featured`` and the four ``##`` sections."""
        return {
            "title": str(_require(meta, "title", where)),
            "date": _date(meta, "date", where),
            "industry": str(_require(meta, "industry", where)),
            "legal_basis": parse_legal_basis(meta.get("legal_basis"), where),
            "featured": bool(meta.get("featured", False)),
            **split_sections(body, self.SECTIONS, where),
        }

    def listing(self, content):
        """Title, facts-first summary, industry."""
        texts = [content["facts"], content["violation"], content["outcome"], content["lesson"], citations_text(content["legal_basis"])]
        return self._listing(content, title=content["title"], texts=texts, summary=plain_text(content["facts"])[:120])

    def view(self, content):
        """Return a :class:`CaseStudy`."""
        fields = {key: content[key] for key in ("title", "industry", "facts", "violation", "legal_basis", "outcome", "lesson")}
        return CaseStudy(date=date.fromisoformat(content["date"]), **fields)


@dataclass(frozen=True)
class PenaltyDisclosure:
    """行政处罚公示: one published administrative penalty decision (a person is named ``王某``)."""

    decision_no: str
    date: date
    party: str
    party_type: str
    industry: str
    violation_type: str
    violation: str
    legal_basis: list
    penalty: str
    amount_yuan: int


class PenaltyKind(Kind):
    """行政处罚公示: decision number, date, party, violation, legal basis, penalty, amount (yuan)."""

    name, label, slug, folder = "penalty", "行政处罚公示", "penalties", "penalties"
    per_page = 20

    def parse(self, meta, body, where):
        """Validate the decision number and amount; replace a natural person's name by ``王某`` in every field before it is stored."""
        number = str(_require(meta, "decision_no", where))
        if not DECISION_NUMBER.match(number):
            raise ContentError(f"{where}: decision_no {number!r} is not like (长)应急罚〔2023〕12号")
        party_type = meta.get("party_type", "enterprise")
        if party_type not in PARTY_TYPES:
            raise ContentError(f"{where}: party_type must be one of {PARTY_TYPES}")
        party = str(_require(meta, "party", where))
        amount = meta.get("amount_yuan", 0)
        if not isinstance(amount, int) or amount < 0:
            raise ContentError(f"{where}: amount_yuan must be a whole number of yuan")
        content = {
            "decision_no": number,
            "date": _date(meta, "date", where),
            "party": party,
            "party_type": party_type,
            "industry": str(_require(meta, "industry", where)),
            "violation_type": str(_require(meta, "violation_type", where)),
            "legal_basis": parse_legal_basis(meta.get("legal_basis"), where),
            "penalty": str(_require(meta, "penalty", where)),
            "amount_yuan": amount,
            "violation": body.strip() or str(_require(meta, "violation", where)),
        }
        if party_type == "person":  # 个人信息保护法: the full name is never stored, in any field
            pseudonym = surname_pseudonym(party)
            content = {key: scrub_name(value, party, pseudonym) if isinstance(value, str) else value for key, value in content.items()}
        return content

    def listing(self, content):
        """Party and violation type as the title; the violation type is the filter category."""
        title = f"{content['party']}：{content['violation_type']}"
        texts = [content["decision_no"], content["violation"], content["penalty"], citations_text(content["legal_basis"])]
        return self._listing(content, title=title, texts=texts, summary=content["penalty"], category=content["violation_type"])

    def view(self, content):
        """Return a :class:`PenaltyDisclosure`."""
        return PenaltyDisclosure(**{**content, "date": date.fromisoformat(content["date"])})


@dataclass(frozen=True)
class Hazard:
    """One typical hazard of a monthly warning and how it was rectified."""

    place_type: str
    hazard: str
    legal_basis: list
    status: str
    result: str


@dataclass(frozen=True)
class MonthlyWarning:
    """每月一警示: one month's theme and typical hazards."""

    period: str
    year: int
    month: int
    theme: str
    date: date
    intro: str
    hazards: list[Hazard]


class WarningKind(Kind):
    """每月一警示: year-month (one per month), theme, hazards with place type, legal basis, rectification."""

    name, label, slug, folder = "warning", "每月一警示", "warnings", "warnings"
    per_page = 12

    def parse(self, meta, body, where):
        """Validate the period ``YYYY-MM`` and each hazard (``place_type, hazard, legal_basis, status, result``)."""
        period = str(_require(meta, "period", where))
        if not PERIOD.match(period):
            raise ContentError(f"{where}: period must be YYYY-MM, got {period!r}")
        hazards = []
        for index, entry in enumerate(_require(meta, "hazards", where), start=1):
            at = f"{where} hazard {index}"
            status = _require(entry, "status", at)
            if status not in RECTIFICATION_STATES:
                raise ContentError(f"{at}: status must be one of {RECTIFICATION_STATES}")
            hazards.append(
                {
                    "place_type": str(_require(entry, "place_type", at)),
                    "hazard": str(_require(entry, "hazard", at)),
                    "legal_basis": parse_legal_basis(entry.get("legal_basis"), at),
                    "status": status,
                    "result": str(_require(entry, "result", at)),
                }
            )
        return {"period": period, "theme": str(_require(meta, "theme", where)), "date": _date(meta, "date", where),
                "intro": body.strip(), "hazards": hazards}  # fmt: skip

    def listing(self, content):
        """Title ``2026年1月 · theme``; the period is unique per kind."""
        year, month = (int(part) for part in content["period"].split("-"))
        title = f"{year}年{month}月：{content['theme']}"
        texts = [content["intro"]] + [
            f"{h['place_type']} {h['hazard']} {citations_text(h['legal_basis'])} {h['status']} {h['result']}" for h in content["hazards"]
        ]
        return self._listing(content, title=title, texts=texts, summary=plain_text(content["intro"])[:120], period=content["period"])

    def view(self, content):
        """Return a :class:`MonthlyWarning`."""
        year, month = (int(part) for part in content["period"].split("-"))
        hazards = [Hazard(**hazard) for hazard in content["hazards"]]
        published = date.fromisoformat(content["date"])
        return MonthlyWarning(content["period"], year, month, content["theme"], published, content["intro"], hazards)


@dataclass(frozen=True)
class QA:
    """知识问答: a question, its answer (Markdown) and the articles it rests on."""

    question: str
    topic: str
    date: date
    answer: str
    legal_basis: list


class QAKind(Kind):
    """知识问答: question (title), topic, answer (the body), legal basis."""

    name, label, slug, folder = "qa", "知识问答", "qa", "qa"
    per_page = 20

    def parse(self, meta, body, where):
        """Read ``question, topic, date, legal_basis``; the body is the answer."""
        if not body.strip():
            raise ContentError(f"{where}: the body (the answer) is empty")
        return {
            "question": str(_require(meta, "question", where)),
            "topic": str(_require(meta, "topic", where)),
            "date": _date(meta, "date", where),
            "answer": body.strip(),
            "legal_basis": parse_legal_basis(meta.get("legal_basis"), where),
        }

    def listing(self, content):
        """The question is the title; the topic is the category."""
        texts = [content["answer"], citations_text(content["legal_basis"])]
        return self._listing(content, title=content["question"], texts=texts, category=content["topic"])

    def view(self, content):
        """Return a :class:`QA`."""
        return QA(**{**content, "date": date.fromisoformat(content["date"])})


@dataclass(frozen=True)
class NewsItem:
    """News or an activity (e.g. 安全生产月 events)."""

    title: str
    date: date
    event: str
    body: str


class NewsKind(Kind):
    """News / activity: title, date, event, body."""

    name, label, slug, folder = "news", "工作动态", "news", "news"

    def parse(self, meta, body, where):
        """Read ``title, date, event``; the body is the article."""
        if not body.strip():
            raise ContentError(f"{where}: the body is empty")
        return {"title": str(_require(meta, "title", where)), "date": _date(meta, "date", where),
                "event": str(meta.get("event", "")), "body": body.strip()}  # fmt: skip

    def listing(self, content):
        """The event is the category."""
        return self._listing(content, title=content["title"], texts=[content["body"]], category=content["event"] or None)

    def view(self, content):
        """Return a :class:`NewsItem`."""
        return NewsItem(**{**content, "date": date.fromisoformat(content["date"])})


#: Kind name → kind, in navigation order.
KINDS: dict[str, Kind] = {kind.name: kind for kind in (CaseKind(), PenaltyKind(), WarningKind(), QAKind(), NewsKind())}
KINDS_BY_SLUG: dict[str, Kind] = {kind.slug: kind for kind in KINDS.values()}
