"""Configuration (quizapp.config): production refuses to start without keys; development makes its own."""

from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet

from quizapp import config as settings  # a module import: pytest would try to collect TestingConfig as a test class
from quizapp import create_app
from quizapp.config import ConfigError, DevelopmentConfig, ProductionConfig, load_config

REQUIRED = ("QUIZAPP_DATABASE_URL", "QUIZAPP_SECRET_KEY", "QUIZAPP_PII_KEY", "QUIZAPP_SITE_URL")


@pytest.fixture
def bare_env(monkeypatch):
    """No QUIZAPP_* variable that the configs read is set."""
    for name in (*REQUIRED, "QUIZAPP_ENV", "QUIZAPP_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_without_its_variables_refuses_to_start_naming_them_all(bare_env):
    with pytest.raises(ConfigError) as caught:
        create_app("production")
    for name in REQUIRED:
        assert name in str(caught.value)


def test_production_names_only_the_variables_still_missing(bare_env):
    bare_env.setenv("QUIZAPP_SECRET_KEY", "s" * 48)
    with pytest.raises(ConfigError) as caught:
        create_app("production")
    message = str(caught.value)
    assert "QUIZAPP_DATABASE_URL" in message and "QUIZAPP_PII_KEY" in message
    assert "QUIZAPP_SECRET_KEY" not in message


def test_production_with_its_variables_starts(bare_env, tmp_path):
    pii_key = Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    bare_env.setenv("QUIZAPP_DATABASE_URL", url)
    bare_env.setenv("QUIZAPP_SECRET_KEY", "s" * 48)
    bare_env.setenv("QUIZAPP_PII_KEY", pii_key)
    bare_env.setenv("QUIZAPP_SITE_URL", "https://aq.example.gov.cn")

    app = create_app("production")

    assert (app.config["SQLALCHEMY_DATABASE_URI"], app.config["SECRET_KEY"], app.config["PII_KEY"]) == (url, "s" * 48, pii_key)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SCHEDULER_EMBEDDED"] is False
    assert not app.testing


def test_quizapp_env_selects_production(bare_env):
    bare_env.setenv("QUIZAPP_ENV", "production")
    assert isinstance(load_config(), ProductionConfig)
    with pytest.raises(ConfigError):
        create_app()


def test_development_generates_keys_once_and_reuses_them(bare_env, tmp_path):
    instance = tmp_path / "instance"
    first = DevelopmentConfig()
    first.finalise(str(instance))
    keys_file = instance / "keys.env"
    written = keys_file.read_text(encoding="utf-8")

    second = DevelopmentConfig()
    second.finalise(str(instance))

    assert keys_file.read_text(encoding="utf-8") == written
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert first.SECRET_KEY and first.PII_KEY
    assert (second.SECRET_KEY, second.PII_KEY) == (first.SECRET_KEY, first.PII_KEY)
    assert f"QUIZAPP_PII_KEY={first.PII_KEY}" in written
    Fernet(first.PII_KEY.encode())  # a usable Fernet key, not just any string
    assert second.SQLALCHEMY_DATABASE_URI == f"sqlite:///{instance / 'quizapp.sqlite3'}"


def test_development_keys_differ_between_instance_folders(bare_env, tmp_path):
    one, two = DevelopmentConfig(), DevelopmentConfig()
    one.finalise(str(tmp_path / "one"))
    two.finalise(str(tmp_path / "two"))
    assert one.SECRET_KEY != two.SECRET_KEY
    assert one.PII_KEY != two.PII_KEY


def test_development_environment_variables_win_over_generated_keys(bare_env, tmp_path):
    pii_key = Fernet.generate_key().decode()
    bare_env.setenv("QUIZAPP_SECRET_KEY", "from-env")
    bare_env.setenv("QUIZAPP_PII_KEY", pii_key)
    bare_env.setenv("QUIZAPP_DATABASE_URL", "sqlite:///elsewhere.sqlite3")
    config = DevelopmentConfig()
    config.finalise(str(tmp_path))
    assert (config.SECRET_KEY, config.PII_KEY, config.SQLALCHEMY_DATABASE_URI) == ("from-env", pii_key, "sqlite:///elsewhere.sqlite3")


@pytest.mark.parametrize("name", ["staging", "prod", "Production"])
def test_unknown_environment_name_raises(bare_env, name):
    bare_env.setenv("QUIZAPP_ENV", name)
    with pytest.raises(ConfigError, match="unknown QUIZAPP_ENV"):
        create_app()
    with pytest.raises(ConfigError, match=name):
        load_config(name)


def test_testing_config_uses_fixed_secret_and_a_fresh_pii_key(bare_env):
    first, second = settings.TestingConfig(), settings.TestingConfig()
    assert first.TESTING is True and first.WTF_CSRF_ENABLED is False
    assert first.PII_KEY != second.PII_KEY
