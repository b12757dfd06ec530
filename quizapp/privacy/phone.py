"""Mainland mobile numbers: normalise, validate, encrypt, look up, mask.

Rules: a participant's 手机号 is personal information under the 个人信息保护法
(PIPL) 第二十八条 (when linked to identity) and 第五十一条 (security measures:
encryption). quizapp stores it Fernet-encrypted, looks it up by a keyed HMAC,
and shows it masked (``138****1234``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from quizapp.core.errors import ValidationFailed

MOBILE = re.compile(r"^1\d{10}$")
#: What a typed number may contain (after NFKC): phonenumbers would otherwise read
#: letters as keypad digits (``138OO138OOO`` → 13866138666) or drop them as an extension.
PHONE_CHARACTERS = re.compile(r"^[0-9+\-\s().]*$")


def normalize_phone(raw: str) -> str:
    """Return the 11-digit national number for a mainland mobile number.

    Accepts ``+86``/``0086`` prefixes, spaces, hyphens and full-width digits
    (``１３８ ００１３ ８０００``); parsing is phonenumbers' (libphonenumber).

    Raises:
        ValidationFailed: for any letter or other character, or unless the
            result is 11 digits starting with 1.

    """
    text = unicodedata.normalize("NFKC", raw or "").strip()
    parsed = None
    if PHONE_CHARACTERS.match(text):
        try:
            parsed = phonenumbers.parse(text, "CN")
        except phonenumbers.NumberParseException:
            parsed = None
    national = str(parsed.national_number) if parsed and parsed.country_code == 86 else ""
    if not MOBILE.match(national) or not _is_mobile(parsed):
        raise ValidationFailed("请填写正确的11位手机号码", fields={"phone": "请填写正确的11位手机号码"}, code="invalid_phone")
    return national


def _is_mobile(parsed: phonenumbers.PhoneNumber) -> bool:
    """Return whether libphonenumber's metadata knows the number as a mainland mobile number."""
    kind = phonenumbers.number_type(parsed)
    return phonenumbers.is_valid_number(parsed) and kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


#: What an erased name or number reads as (:mod:`quizapp.contests.erasure`); masking leaves it whole.
ERASED = "已删除"


def mask_phone(phone: str) -> str:
    """Mask a normalised number as ``138****1234`` (first three, last four)."""
    return f"{phone[:3]}****{phone[-4:]}"


def mask_name(name: str) -> str:
    """Mask a person's name for public lists: ``张三`` → ``张*``, ``欧阳娜娜`` → ``欧***``; ``已删除`` stays."""
    name = (name or "").strip()
    if name == ERASED:
        return name
    if len(name) <= 1:
        return name + "*"
    return name[0] + "*" * (len(name) - 1)


def _key_material() -> bytes:
    return current_app.config["PII_KEY"].encode()


def _lookup_key() -> bytes:
    """Derive the HMAC key from the PII key with HKDF, so one secret serves both uses."""
    raw = base64.urlsafe_b64decode(_key_material())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"quizapp phone lookup").derive(raw)


def encrypt_phone(phone: str) -> str:
    """Encrypt a normalised number with the configured Fernet key (``QUIZAPP_PII_KEY``)."""
    return Fernet(_key_material()).encrypt(phone.encode()).decode()


def decrypt_phone(token: str) -> str | None:
    """Decrypt a stored number; ``None`` when it was erased or the key changed."""
    return phone_decrypter()(token) if token else None


def phone_decrypter() -> Callable[[str], str | None]:
    """Return :func:`decrypt_phone` bound to one Fernet instance, for decrypting many numbers in a row (exports)."""
    fernet = Fernet(_key_material())

    def decrypt(token: str) -> str | None:
        if not token:
            return None
        try:
            return fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None

    return decrypt


def phone_lookup_hash(phone: str) -> str:
    """Return the keyed HMAC-SHA256 (hex) of a normalised number, for lookups and counting."""
    return hmac.new(_lookup_key(), phone.encode(), hashlib.sha256).hexdigest()
