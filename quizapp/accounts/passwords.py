"""Password hashing and the password policy.

Hashing is Werkzeug's (``scrypt``); strength is judged by zxcvbn (Dropbox's estimator,
which knows the common-password lists), plus a minimum length and a list of passwords
common in China that zxcvbn's English dictionaries miss.
"""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn 0–4: 3 = "safely unguessable: moderate protection from offline slow-hash scenario"
MAX_LENGTH = 128
ZXCVBN_MAX = 72
#: Common Chinese passwords (pinyin, dates, QQ-style); fed to zxcvbn as a dictionary.
CHINESE_COMMON = (
    "woaini", "woaini1314", "5201314", "1314520", "iloveyou", "qq123456", "a123456", "aa123456",
    "abc123456", "zhang", "wang", "li", "liu", "chen", "anquan", "anquanshengchan", "yingji",
    "yingjiguanli", "admin", "password", "mima", "123456", "12345678", "888888", "666666",
)
_DUMMY_HASH = generate_password_hash("not-a-real-password-just-for-timing")


class WeakPassword(ValueError):
    """The password breaks the policy; ``str(exc)`` says why, in Chinese."""


def hash_password(password: str) -> str:
    """Return Werkzeug's scrypt hash string for *password*."""
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return whether *password* matches; hashes a dummy when there is no user, so timing leaks nothing."""
    if not password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)


def check_policy(password: str, *, user_inputs: tuple[str, ...] = ()) -> None:
    """Raise :class:`WeakPassword` unless *password* is 10–128 characters and zxcvbn scores it ≥ 3.

    *user_inputs* (username, display name) count as guessable words.
    """
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少需要 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码不能超过 {MAX_LENGTH} 个字符")
    # zxcvbn refuses input over 72 characters; a longer password is judged by its first 72
    result = zxcvbn(password[:ZXCVBN_MAX], user_inputs=[*user_inputs, *CHINESE_COMMON])
    if result["score"] < MIN_SCORE:
        raise WeakPassword("密码太常见或太容易猜到，请换一个更长、不含用户名和常见词的密码")
