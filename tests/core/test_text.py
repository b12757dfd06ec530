"""Hidden characters in names: invisible, direction-changing or nothing visible at all."""

from __future__ import annotations

import pytest

from quizapp.core.text import has_hidden_characters, normalise_text

HIDDEN = ["\u200b", "\u202e王五六", "王\u200d五", "A\u0301\u0301\u0301\u0301", "\u0301王", "   ", "\ue000", "王\u2028五"]


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_or_invisible_names_are_caught(name):
    assert has_hidden_characters(normalise_text(name)) or not normalise_text(name)


@pytest.mark.parametrize("name", ["王五", "欧阳娜娜", "José", "Zoë Li", "阿卜杜拉·买买提", "李 明", "O'Neil", "กิตติ์"])
def test_real_names_pass(name):
    assert not has_hidden_characters(normalise_text(name))


def test_nfc_composes_accents():
    assert normalise_text("Jose\u0301 ") == "José"
