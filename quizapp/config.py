"""Configuration classes, read from ``QUIZAPP_*`` environment variables.

Nothing is read at import time: :func:`load_config` builds the class when
``create_app()`` asks for it, so tests can set the environment first.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


class ConfigError(RuntimeError):
    """Raised when a required setting is missing (production refuses to start)."""


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WTF_I18N_ENABLED = False  # WTForms' own Chinese messages (see register_extensions), not Flask-Babel
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds the token instead
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 7 * 24 * 3600
    STAFF_IDLE_TIMEOUT_S = 30 * 60  # a staff session ends after 30 idle minutes
    STAFF_LOGIN_LIMIT_ACCOUNT_ADDRESS = "5 per 15 minutes"  # failed logins per account from one address
    STAFF_LOGIN_LIMIT_ACCOUNT = "100 per hour"  # failed logins per account from all addresses together
    STAFF_LOGIN_LIMIT_ADDRESS = "20 per 15 minutes"  # failed logins per address
    JSON_AS_ASCII = False
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    # Counted per client address, successful starts only; an office or a carrier NAT
    # shares one address, so the default is generous (QUIZAPP_ATTEMPT_START_LIMIT).
    ATTEMPT_START_LIMIT = "60 per minute"
    SCHEDULER_EMBEDDED = False
    CONTENT_DIR = str(Path(__file__).resolve().parent.parent / "content")
    RESPONSE_GRACE_S = 10
    # Competitions with at most this many submitted attempts get their statistics recomputed
    # by the page view itself; larger ones by the scheduler (quizapp.contests.statistics_store).
    # 5,000 took 0.15-0.25 s on PostgreSQL and SQLite on the shared 2-core machine (bench/results.md).
    STATISTICS_INLINE_LIMIT = 5000
    # Results exports of at most this many rows (participants + attempts) are written inside the
    # request; larger ones by the scheduler (quizapp.contests.export_jobs). 20,000 rows took
    # about 2 s on the shared 2-core machine (bench/results.md); the request limit is 30 s.
    EXPORT_INLINE_ROWS = 20_000
    MAX_CONTENT_LENGTH = 1024 * 1024  # bytes; larger bodies get 413 before they are parsed
    # Unversioned static URLs are cached briefly; versioned ones (?v=<hash>) for a year (quizapp.core.static).
    SEND_FILE_MAX_AGE_DEFAULT = 300
    # Flask-Caching: memory per process unless QUIZAPP_REDIS_URL makes it shared (quizapp.core.caching).
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_KEY_PREFIX = "quizapp:"
    # Anonymous reader pages are served whole for at most this many seconds (QUIZAPP_PAGE_CACHE_S;
    # 0 turns it off), from files shared by the workers of one machine (QUIZAPP_PAGE_CACHE_DIR,
    # default instance/page-cache) or from Redis: quizapp.public.pagecache, docs/deploy.md.
    PAGE_CACHE_S = 15
    PAGE_CACHE_TYPE = "FileSystemCache"
    PAGE_CACHE_DIR: str | None = None
    # Buffered law-article view counts reach the database within this many seconds (quizapp.reports.usage).
    USAGE_FLUSH_S = 5

    def __init__(self) -> None:
        env = os.environ
        self.SQLALCHEMY_DATABASE_URI = env.get("QUIZAPP_DATABASE_URL") or self.default_database_url()
        self.SECRET_KEY = env.get("QUIZAPP_SECRET_KEY")
        self.PII_KEY = env.get("QUIZAPP_PII_KEY")
        self.DISPLAY_TIMEZONE = env.get("QUIZAPP_TIMEZONE", "Asia/Shanghai")
        self.SITE_NAME = env.get("QUIZAPP_SITE_NAME", "安全生产法治宣传与知识竞赛平台")
        self.SITE_SPONSOR = env.get("QUIZAPP_SITE_SPONSOR", "某某区应急管理局")
        self.SITE_ICP = env.get("QUIZAPP_SITE_ICP", "")
        self.SITE_PSB = env.get("QUIZAPP_SITE_PSB", "")
        self.SITE_URL = env.get("QUIZAPP_SITE_URL", "")  # https://aq.example.gov.cn: absolute URLs never follow the Host header
        redis_url = env.get("QUIZAPP_REDIS_URL")
        if redis_url:
            self.RATELIMIT_STORAGE_URI = redis_url
            self.CACHE_TYPE = "RedisCache"
            self.CACHE_REDIS_URL = redis_url
            self.PAGE_CACHE_TYPE = "RedisCache"
        embedded = env.get("QUIZAPP_SCHEDULER_EMBEDDED")
        if embedded is not None:  # gunicorn.conf.py sets 0: the scheduler runs as its own process there
            self.SCHEDULER_EMBEDDED = embedded.strip().lower() in ("1", "true", "yes", "on")
        self.CONTENT_DIR = env.get("QUIZAPP_CONTENT_DIR", self.CONTENT_DIR)
        self.PAGE_CACHE_S = int(env.get("QUIZAPP_PAGE_CACHE_S", str(self.PAGE_CACHE_S)))
        self.PAGE_CACHE_DIR = env.get("QUIZAPP_PAGE_CACHE_DIR") or None
        self.ATTEMPT_START_LIMIT = env.get("QUIZAPP_ATTEMPT_START_LIMIT", self.ATTEMPT_START_LIMIT)
        self.PROXY_COUNT = int(env.get("QUIZAPP_PROXY_COUNT", "0"))
        self.STATISTICS_INLINE_LIMIT = int(env.get("QUIZAPP_STATISTICS_INLINE_LIMIT", self.STATISTICS_INLINE_LIMIT))
        self.EXPORT_INLINE_ROWS = int(env.get("QUIZAPP_EXPORT_INLINE_ROWS", self.EXPORT_INLINE_ROWS))
        self.SITE_CONTACT = env.get("QUIZAPP_SITE_CONTACT", "请通过主办单位公布的办公电话或地址联系")

    def default_database_url(self) -> str | None:
        """Return the database URL used when ``QUIZAPP_DATABASE_URL`` is unset."""
        return None

    def finalise(self, instance_path: str) -> None:
        """Fill in or check the keys; called once the app's instance path is known."""


class DevelopmentConfig(Config):
    """Embedded SQLite under ``instance/``; keys generated once into ``instance/``."""

    ENV_NAME = "development"
    SCHEDULER_EMBEDDED = True

    def default_database_url(self) -> str | None:
        """Return the embedded SQLite database under ``instance/`` (set in finalise)."""
        return None

    def finalise(self, instance_path: str) -> None:
        """Generate missing keys into ``instance/keys.env`` and point SQLite there."""
        Path(instance_path).mkdir(parents=True, exist_ok=True)
        if not self.SQLALCHEMY_DATABASE_URI:
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(instance_path) / 'quizapp.sqlite3'}"
        keys = _load_or_create_keys(Path(instance_path) / "keys.env")
        self.SECRET_KEY = self.SECRET_KEY or keys["QUIZAPP_SECRET_KEY"]
        self.PII_KEY = self.PII_KEY or keys["QUIZAPP_PII_KEY"]


class TestingConfig(Config):
    """In-memory keys and the test database (``QUIZAPP_TEST_DATABASE_URL`` or SQLite)."""

    ENV_NAME = "testing"
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = True
    ATTEMPT_START_LIMIT = "1000 per minute"
    CACHE_NO_NULL_WARNING = True

    def __init__(self) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("QUIZAPP_TEST_DATABASE_URL") or "sqlite://"
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql") and "options=" not in self.SQLALCHEMY_DATABASE_URI:
            # Test data need not survive a crash: commits don't wait for the WAL flush.
            joiner = "&" if "?" in self.SQLALCHEMY_DATABASE_URI else "?"
            self.SQLALCHEMY_DATABASE_URI += f"{joiner}options=-c%20synchronous_commit%3Doff"
        # Nothing cached between requests in tests (a test that checks the cache turns it on).
        self.CACHE_TYPE = "NullCache"
        self.PAGE_CACHE_TYPE = "NullCache"
        self.PAGE_CACHE_S = 0
        self.SECRET_KEY = "test-secret-key"
        self.PII_KEY = Fernet.generate_key().decode()


class ProductionConfig(Config):
    """PostgreSQL; refuses to start without its keys, database URL and canonical site URL."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True

    def finalise(self, instance_path: str) -> None:
        """Raise :class:`ConfigError` naming every missing ``QUIZAPP_*`` variable."""
        missing = [
            name
            for name, value in (
                ("QUIZAPP_DATABASE_URL", self.SQLALCHEMY_DATABASE_URI),
                ("QUIZAPP_SECRET_KEY", self.SECRET_KEY),
                ("QUIZAPP_PII_KEY", self.PII_KEY),
                ("QUIZAPP_SITE_URL", self.SITE_URL),  # feeds, sitemap and QR posters must not follow the Host header
            )
            if not value
        ]
        if missing:
            raise ConfigError("production configuration is missing: " + ", ".join(missing))
        self.SCHEDULER_EMBEDDED = False


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Build the configuration named by *name* or ``QUIZAPP_ENV`` (default development).

    Raises:
        ConfigError: for an unknown name.

    """
    name = name or os.environ.get("QUIZAPP_ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigError(f"unknown QUIZAPP_ENV {name!r}; use one of {sorted(CONFIGS)}") from None


def _load_or_create_keys(path: Path) -> dict[str, str]:
    """Read ``KEY=value`` lines from *path*, writing fresh keys first if it is absent."""
    if not path.exists():
        path.write_text(
            f"QUIZAPP_SECRET_KEY={secrets.token_urlsafe(48)}\n"
            f"QUIZAPP_PII_KEY={Fernet.generate_key().decode()}\n",
            encoding="utf-8",
        )
        path.chmod(0o600)
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}
