"""Export then import gives the same bank: a property over generated banks (Chinese text, every GIFT special)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from quizapp.bank.formats import FORMATS
from quizapp.bank.formats.base import build_question, comparable
from quizapp.bank.formats.markup import has_markup
from quizapp.content.banks import BLANK

WORDS = "安全生产法第一责任人从业人员的权利义务事故隐患排查治理应急预案消防"
CHINESE = WORDS + "（）。，、；：“”《》！？"
GIFT_SPECIALS = "~=#{}:\\"
ALPHABET = CHINESE + GIFT_SPECIALS + "abcXYZ019 .,;/|*<>&%[]$-'\"\n"  # no _: next to a blank it would merge
#: Fields each format carries; the others come back as their defaults.
CARRIED = {
    "excel": None,  # every field
    "gift": ("uid", "type", "stem", "options", "key", "explanation", "category", "tags"),
    "moodle_xml": ("uid", "type", "stem", "options", "key", "explanation", "category", "tags", "points"),
    "aiken": ("uid", "type", "stem", "options", "key"),
}


def _text(alphabet: str = ALPHABET, min_size: int = 1):
    # text holding a tag is imported as its plain text, so it cannot come back as written
    texts = st.text(alphabet, min_size=min_size, max_size=30).map(str.strip)
    return texts.filter(lambda text: len(text) >= min_size and not has_markup(text))


plain = _text(WORDS + "abc019")
segment = _text(WORDS)


@st.composite
def questions(draw, *, fmt: str):
    kind = draw(st.sampled_from(["single_choice"] if fmt == "aiken" else ["single_choice", "multiple_choice", "true_false", "fill_blank"]))
    text = _text()
    if fmt == "aiken":  # one line each, and a stem that does not read as an option or ANSWER line
        text = _text(ALPHABET.replace("\n", "")).filter(lambda value: not re.match(r"[A-Z][.)]|ANSWER", value, re.IGNORECASE))
    fields = {}
    if fmt != "aiken":
        fields = {
            "uid": draw(st.none() | st.from_regex(r"[a-z0-9]{0,4}[a-z][a-z0-9-]{0,16}", fullmatch=True)),
            "explanation": draw(st.just("") | text),
            "category": "/".join(draw(st.lists(segment, max_size=3))),
            "tags": draw(st.lists(plain, max_size=3)),
        }
    if fmt in ("excel", "moodle_xml"):  # Moodle's defaultgrade 1 is its default on every question: read as "not set"
        fields["points"] = draw(st.sampled_from([None, 2.0, 2.5, 10.0] if fmt == "moodle_xml" else [None, 1.0, 2.0, 2.5, 10.0]))
    if fmt == "excel":
        fields["difficulty"] = draw(st.integers(1, 5))
        fields["legal_basis"] = draw(
            st.lists(st.fixed_dictionaries({"law": segment, "article": st.integers(1, 300), "quote": st.just("") | plain}), max_size=2)
        )
    if kind in ("single_choice", "multiple_choice"):
        options = draw(st.lists(text, min_size=2, max_size=8, unique_by=comparable))  # the same text twice is an error
        count = 1 if kind == "single_choice" else draw(st.integers(2, len(options)))
        correct = draw(st.lists(st.integers(0, len(options) - 1), min_size=count, max_size=count, unique=True))
        return build_question(kind, draw(text), options=options, correct=correct, **fields)
    if kind == "true_false":
        return build_question(kind, draw(text), answer=draw(st.booleans()), **fields)
    answer = _text(WORDS + "abc019 :#{}~=\\")
    blanks = 1 if fmt != "excel" else draw(st.integers(1, 3))
    part = _text(ALPHABET.replace("（", "").replace("）", "")) if fmt == "excel" else text  # （ ） is a blank in Excel
    middle = draw(st.lists(part, min_size=blanks - 1, max_size=blanks - 1))  # adjacent blanks would read as one
    stem = BLANK.join([draw(st.just("") | part), *middle, draw(st.just("") | part)]).strip()
    keys = draw(st.lists(st.lists(answer, min_size=1, max_size=3), min_size=blanks, max_size=blanks))
    return build_question(kind, stem, blanks=keys, **fields)


def _carried(question: dict, fmt: str) -> dict:
    fields = CARRIED[fmt]
    return question if fields is None else {field: question[field] for field in fields}


def _round_trip(fmt: str, bank: list[dict]) -> None:
    content, left_out = FORMATS[fmt].write(bank)
    assert not left_out, left_out
    result = FORMATS[fmt].read(content)
    assert not result.errors and not result.skipped
    assert [_carried(item.data, fmt) for item in result.items] == [_carried(question, fmt) for question in bank]


@given(st.lists(questions(fmt="excel"), max_size=6))
def test_excel_round_trip(bank):
    _round_trip("excel", bank)


@given(st.lists(questions(fmt="gift"), max_size=6))
def test_gift_round_trip(bank):
    _round_trip("gift", bank)


@given(st.lists(questions(fmt="moodle_xml"), max_size=6))
def test_moodle_xml_round_trip(bank):
    _round_trip("moodle_xml", bank)


@given(st.lists(questions(fmt="aiken"), max_size=6))
def test_aiken_round_trip(bank):
    _round_trip("aiken", bank)


def test_gift_round_trip_of_every_special_character_at_every_position():
    tricky = ["//注释开头", "[html]<b>x</b>", "%50%权重开头", "::标题::", "$CATEGORY: x", "a\\nb", "\\", "~=#{}:", "行一\n行二"]
    bank = [build_question("single_choice", text, options=[text, "乙"], correct=[0], explanation=text) for text in tricky]
    bank.append(build_question("fill_blank", "{前}____#后:", blanks=[["~答案=", "#"]]))
    _round_trip("gift", bank)
