"""quizapp: legal-education quiz and publicity platform (法治宣传与知识竞赛平台)."""

from __future__ import annotations

from flask import Flask

from quizapp.config import Config, load_config
from quizapp.core.routing import BoundedIntConverter


def create_app(config: Config | str | None = None) -> Flask:
    """Build the Flask application.

    *config* is a :class:`~quizapp.config.Config` instance, a config name
    (``development``, ``testing``, ``production``) or ``None`` for ``QUIZAPP_ENV``.

    Raises:
        quizapp.config.ConfigError: when production keys are missing.

    """
    app = Flask(__name__, instance_relative_config=True)
    settings = config if isinstance(config, Config) else load_config(config)
    settings.finalise(app.instance_path)
    app.config.from_object(settings)
    app.json.ensure_ascii = False
    app.url_map.converters["int"] = BoundedIntConverter
    register_middleware(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_static(app)
    register_commands(app)
    return app


def register_middleware(app: Flask) -> None:
    """Trust ``X-Forwarded-*`` from ``QUIZAPP_PROXY_COUNT`` reverse proxies (0: none).

    Behind nginx the client address comes from ``X-Forwarded-For``; without this,
    every visitor would share the proxy's address and its rate limit.
    """
    count = app.config.get("PROXY_COUNT", 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    """Bind db, migrations, CSRF and the rate limiter; tune SQLite for concurrent writers."""
    from flask_wtf import FlaskForm

    from quizapp.accounts import access as accounts_access
    from quizapp.core.database import configure_sqlite
    from quizapp.extensions import cache, csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    accounts_access.init_app(app)
    from quizapp.public import pagecache

    pagecache.init_app(app)
    pagecache.skip_rate_limit_bookkeeping(limiter)
    # WTForms' own messages ("Not a valid choice" …) from its bundled Chinese catalogue; needs
    # WTF_I18N_ENABLED = False, since Flask-WTF would otherwise look for Flask-Babel.
    FlaskForm.Meta.locales = ("zh",)
    with app.app_context():
        configure_sqlite(db.engine)
    _import_models()


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _import_models() -> None:
    """Import every domain's models so metadata (and Alembic) sees all tables."""
    import quizapp.accounts.models  # noqa: F401
    import quizapp.bank.lifecycle  # noqa: F401  (registers the question live hook)
    import quizapp.bank.models  # noqa: F401
    import quizapp.contests.models  # noqa: F401
    import quizapp.contests.paper_guard  # noqa: F401  (registers the question retire guard)
    import quizapp.laws.models  # noqa: F401
    import quizapp.practice.models  # noqa: F401
    import quizapp.publishing.models  # noqa: F401
    import quizapp.reports.models  # noqa: F401


def register_blueprints(app: Flask) -> None:
    """Register each domain's blueprints (importing their routes first)."""
    import quizapp.accounts.views  # noqa: F401
    import quizapp.api.views  # noqa: F401
    import quizapp.bank.editor  # noqa: F401  (registers the question editor)
    import quizapp.bank.staff  # noqa: F401
    import quizapp.contests.api  # noqa: F401
    import quizapp.contests.draw_views  # noqa: F401
    import quizapp.contests.staff  # noqa: F401
    import quizapp.contests.views  # noqa: F401
    import quizapp.laws.views  # noqa: F401
    import quizapp.practice.views  # noqa: F401
    import quizapp.privacy.views  # noqa: F401
    import quizapp.public.views  # noqa: F401
    import quizapp.publicity.editors  # noqa: F401  (registers the publicity kinds' editors)
    import quizapp.publicity.feeds  # noqa: F401
    import quizapp.publicity.views  # noqa: F401
    import quizapp.publishing.staff  # noqa: F401
    import quizapp.reports.views  # noqa: F401
    import quizapp.search.views  # noqa: F401
    import quizapp.workspace.views  # noqa: F401
    from quizapp import api, contests, privacy, public, publicity, search
    from quizapp.extensions import csrf

    csrf.exempt(contests.api_bp)  # bearer-token API: no cookies, so no CSRF
    csrf.exempt(api.bp)
    from quizapp import accounts, laws, practice, workspace

    app.register_blueprint(accounts.bp)
    app.register_blueprint(workspace.bp)
    from quizapp.bank import staff as bank_staff

    app.register_blueprint(bank_staff.bp)
    app.register_blueprint(laws.bp)
    app.register_blueprint(practice.bp)
    from quizapp import reports

    app.register_blueprint(reports.bp)
    from quizapp.contests.support import support_bp

    app.register_blueprint(support_bp)
    app.register_blueprint(contests.staff.staff_bp)
    from quizapp.publishing.staff import bp as publishing_staff_bp

    app.register_blueprint(publishing_staff_bp)
    for blueprint in (public.bp, contests.bp, contests.api_bp, privacy.bp, api.bp, publicity.bp, search.bp):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    """Answer errors in Chinese (JSON under ``/api/``, pages elsewhere), never a stack trace; add security headers."""
    from quizapp.public import errors, headers, inputs

    errors.register(app)
    headers.register(app)
    inputs.register(app)


def register_template_helpers(app: Flask) -> None:
    """Add the template filters (local time, citations) and site-wide context."""
    from quizapp.public.templating import register

    register(app)


def register_static(app: Flask) -> None:
    """Version static URLs by content hash and cache them for a year (``quizapp.core.static``)."""
    from quizapp.core.static import register

    register(app)


def register_commands(app: Flask) -> None:
    """Register the ``flask`` CLI groups (content, scheduler, contests)."""
    from quizapp.cli import register

    register(app)
