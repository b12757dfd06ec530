"""Phone numbers (quizapp.privacy.phone): normalise, mask, encrypt, look up."""

from __future__ import annotations

import pytest

from quizapp import create_app
from quizapp.core.errors import ValidationFailed
from quizapp.privacy.phone import decrypt_phone, encrypt_phone, mask_name, mask_phone, normalize_phone, phone_lookup_hash

NUMBER = "13800138000"


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "+86 138 0013 8000",
        "0086 138 0013 8000",
        "008613800138000",
        "138-0013-8000",
        "１３８００１３８０００",
        "１３８　００１３　８０００",
        "  13800138000  ",
    ],
    ids=["plain", "plus86", "0086-spaced", "0086", "hyphens", "full-width", "full-width-spaces", "padded"],
)
def test_normalize_phone_gives_the_eleven_digit_national_number(raw):
    assert normalize_phone(raw) == NUMBER


@pytest.mark.parametrize(
    "raw",
    [
        "1380013800",
        "138001380001",
        "23800138000",
        "138OO138OOO",
        "13800138000a",
        "138abcd8000",
        "",
        None,
        "+1 415 555 2671",
        "+86 10 6552 9988",
    ],
    ids=[
        "10-digits",
        "12-digits",
        "not-1",
        "letter-O-for-zero",
        "trailing-letter",
        "letters",
        "empty",
        "none",
        "us-number",
        "beijing-landline",
    ],
)
def test_normalize_phone_refuses_anything_but_a_mainland_mobile_number(raw):
    with pytest.raises(ValidationFailed) as caught:
        normalize_phone(raw)
    assert caught.value.code == "invalid_phone"
    assert "phone" in caught.value.fields


def test_mask_phone_keeps_first_three_and_last_four_digits():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("13912345678") == "139****5678"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张", "张*"), ("张三", "张*"), ("李小龙", "李**"), ("欧阳娜娜", "欧***"), (" 张三 ", "张*")],
    ids=["one", "two", "three", "four", "padded"],
)
def test_mask_name_keeps_only_the_first_character(name, masked):
    assert mask_name(name) == masked


def test_encrypted_phone_round_trips_and_hides_the_number(app):
    token = encrypt_phone(NUMBER)
    assert NUMBER not in token
    assert decrypt_phone(token) == NUMBER


def test_encryption_is_randomised_per_call(app):
    first, second = encrypt_phone(NUMBER), encrypt_phone(NUMBER)
    assert first != second
    assert decrypt_phone(first) == decrypt_phone(second) == NUMBER


def test_decrypt_phone_returns_none_for_erased_or_foreign_tokens(app):
    assert decrypt_phone("") is None
    assert decrypt_phone(None) is None
    other = create_app("testing")
    with other.app_context():
        foreign = encrypt_phone(NUMBER)
    assert decrypt_phone(foreign) is None


def test_phone_lookup_hash_is_stable_within_one_app(app):
    digest = phone_lookup_hash(NUMBER)
    assert len(digest) == 64
    assert NUMBER not in digest
    assert phone_lookup_hash(NUMBER) == digest
    assert phone_lookup_hash("13800138001") != digest


def test_phone_lookup_hash_differs_between_apps_with_different_pii_keys():
    first, second = create_app("testing"), create_app("testing")
    assert first.config["PII_KEY"] != second.config["PII_KEY"]
    with first.app_context():
        first_digest = phone_lookup_hash(NUMBER)
    with second.app_context():
        second_digest = phone_lookup_hash(NUMBER)
    assert first_digest != second_digest
