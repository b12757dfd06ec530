"""Bigram tokenizing (the CJKAnalyzer scheme) and query parsing."""

from __future__ import annotations

from quizapp.search.tokens import parse_query, search_text, tokenize


def test_han_runs_become_overlapping_bigrams_and_latin_words_and_numbers_stay_whole():
    assert tokenize("有限空间作业") == ["有限", "限空", "空间", "间作", "作业"]
    assert tokenize("GB 30871-2022 罚款") == ["gb", "30871", "2022", "罚款"]
    assert tokenize("第２８条") == ["第", "28", "条"]


def test_fields_are_tokenized_separately_so_no_bigram_spans_two_fields():
    assert search_text("罚款", "培训") == "罚款 培训"


def test_two_character_terms_are_one_token_longer_ones_a_phrase_and_single_characters_fall_back():
    query = parse_query("罚款 有限空间 罚")
    assert query.phrases == (("罚款",), ("有限", "限空", "空间"))
    assert query.singles == ("罚",)
    assert parse_query("  ！？ ").is_empty
