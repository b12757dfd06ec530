"""Data-volume check on PostgreSQL (``make bench-volume``), and the leaderboard part of ``make bench``.

Full run: a fresh database (``BENCH_PG_URL``, default ``quizapp_bench``), the starter content, then
100,000 participants, each with one submitted attempt of 20 scored responses (2,000,000
``paper_item`` rows), written with ``INSERT … SELECT … FROM generate_series`` inside PostgreSQL;
each attempt's score is then the sum of its item marks, as closing an attempt stores it.
Then it times, with the app's own code:

- the leaderboard query under ``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`` (and whether its plan
  uses ``ix_participant_leaderboard``), and the ``leaderboard()`` / ``organization_ranking()`` calls;
- the results export (``quizapp.contests.results.export_results``) and the statistics
  (``quizapp.contests.statistics``) when they exist on this branch, with the export's peak
  Python memory (tracemalloc) and the process's peak RSS (``resource.getrusage``);
- the stored statistics (``quizapp.contests.statistics_store``): the source fingerprint (with
  its plan), the page without a snapshot, the recompute that stores one, the page reading it
  (the service call and a GET through the Flask test client as an admin), the scheduled job
  with nothing stale; with ``--inline-sizes 1000,3000`` also the recompute of smaller
  competitions (clones of the starter one, ``bench-inline-<n>``), which sets the page's inline limit.

``--leaderboard-only --participants N`` tops the current database up to N participants with a
result (no responses) and measures only the leaderboard: ``make bench`` uses it after the load runs.
Prints one JSON line with the figures (milliseconds, bytes).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp import create_app  # noqa: E402
from quizapp.bank.services import drawable_pool  # noqa: E402
from quizapp.contests.models import Attempt, Competition, Participant  # noqa: E402
from quizapp.contests.paper import build_paper  # noqa: E402
from quizapp.contests.ranking import leaderboard, organization_ranking  # noqa: E402
from quizapp.extensions import db  # noqa: E402

COMPETITION = "aqsf-2026"
LEADERBOARD_INDEX = "ix_participant_leaderboard"


def _timed(function, *args, **kwargs) -> tuple[object, float]:
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, round((time.perf_counter() - started) * 1000, 2)


def add_participants(competition: Competition, count: int, responses: bool) -> None:
    """Insert *count* participants with one submitted attempt each (and 20 responses each if *responses*).

    Runs inside PostgreSQL with generate_series; scores, durations and times are pseudo-random
    (``random()``), so ties and a spread of ranks both occur.
    """
    start = (db.session.scalar(select(func.max(Participant.id))) or 0) + 1
    attempt_start = (db.session.scalar(select(func.max(Attempt.id))) or 0) + 1
    params = {"competition": competition.id, "start": start, "attempt_start": attempt_start, "count": count,
              "limit_s": competition.time_limit_s, "organizations": list(competition.organizations or ["区应急管理局"])}
    db.session.execute(text("""
        INSERT INTO participant (id, competition_id, name, phone_encrypted, phone_hmac, phone_masked, organization,
                                 participant_group, consent_at, created_at, best_attempt_id, best_score, best_duration_s,
                                 best_submitted_at)
        SELECT :start + n, :competition, '参赛者' || n, 'bench', md5('vol' || (:start + n)) || md5('p' || (:start + n)),
               '138****' || lpad((n % 10000)::text, 4, '0'),
               (CAST(:organizations AS text[]))[1 + n % array_length(CAST(:organizations AS text[]), 1)],
               CASE WHEN n % 3 = 0 THEN 'practitioner' ELSE 'public' END,
               now() - interval '1 day', now() - interval '1 day', :attempt_start + n,
               (floor(random() * 26) * 4)::float, 120 + floor(random() * (:limit_s - 120))::int,
               now() - (random() * interval '10 days')
        FROM generate_series(0, :count - 1) AS n
    """), params)
    db.session.execute(text("""
        INSERT INTO attempt (id, competition_id, participant_id, token_hash, seed, status, started_at, deadline_at,
                             submitted_at, score, max_score, duration_s, passed)
        SELECT p.best_attempt_id, p.competition_id, p.id, md5('t' || p.id) || md5('u' || p.id), 'bench', 'submitted',
               p.best_submitted_at - make_interval(secs => p.best_duration_s),
               p.best_submitted_at - make_interval(secs => p.best_duration_s) + make_interval(secs => :limit_s),
               p.best_submitted_at, p.best_score, 100, p.best_duration_s, p.best_score >= 60
        FROM participant p WHERE p.id >= :start
    """), params)
    if responses:
        paper = build_paper(competition.paper_rule, drawable_pool(), "bench-volume", shuffle_questions=True,
                            shuffle_options=True, default_points=competition.default_points or {})
        items = json.dumps([[item.candidate.version_id, list(item.option_order), item.points] for item in paper])
        db.session.execute(text("""
            INSERT INTO paper_item (attempt_id, position, question_version_id, option_order, points, answer, answered_at,
                                    points_awarded, is_correct)
            SELECT a.id, pos, (paper -> (pos - 1) ->> 0)::int, paper -> (pos - 1) -> 1, (paper -> (pos - 1) ->> 2)::float,
                   paper -> (pos - 1) -> 1 -> 0, a.submitted_at,
                   CASE WHEN random() < 0.7 THEN (paper -> (pos - 1) ->> 2)::float ELSE 0 END, random() < 0.7
            FROM attempt a CROSS JOIN generate_series(1, jsonb_array_length(CAST(:items AS jsonb))) AS pos
                 CROSS JOIN (SELECT CAST(:items AS jsonb) AS paper) AS p
            WHERE a.participant_id >= :start
            ORDER BY a.id, pos
        """), {**params, "items": items})  # ORDER BY: an attempt's items side by side, as starting an attempt writes them
        # Scores as closing an attempt stores them (the sum of the item marks), so the statistics'
        # use of the score as the attempt total is exercised on consistent data.
        db.session.execute(text("""
            UPDATE attempt a SET score = t.total, max_score = t.maximum, passed = t.total >= :pass_mark
            FROM (SELECT attempt_id, round(sum(points_awarded)::numeric, 2)::float AS total, sum(points) AS maximum
                  FROM paper_item WHERE attempt_id >= :attempt_start GROUP BY attempt_id) AS t
            WHERE a.id = t.attempt_id
        """), {**params, "pass_mark": competition.pass_mark})
        db.session.execute(text("""
            UPDATE participant p SET best_score = a.score FROM attempt a WHERE a.id = p.best_attempt_id AND p.id >= :start
        """), params)
    for table in ("participant", "attempt", "paper_item"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.commit()
    db.session.execute(text("ANALYZE participant"))
    db.session.execute(text("ANALYZE attempt"))
    db.session.execute(text("ANALYZE paper_item"))
    db.session.commit()


def explain_leaderboard(competition_id: int, limit: int = 50) -> dict:
    """Run the app's leaderboard query under EXPLAIN ANALYZE; return times (ms) and the indexes in the plan."""
    from quizapp.contests.ranking import _ranked  # the query leaderboard() runs, without its Python part

    query = _ranked(competition_id).order_by(
        Participant.best_score.desc(), Participant.best_duration_s, Participant.best_submitted_at
    ).limit(limit)
    compiled = query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    plan = db.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {compiled}")).scalar()
    document = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    indexes: list[str] = []

    def walk(node: dict) -> None:
        if "Index Name" in node:
            indexes.append(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(document["Plan"])
    return {
        "execution_ms": round(document["Execution Time"], 2),
        "planning_ms": round(document["Planning Time"], 2),
        "indexes": indexes,
        "index_used": LEADERBOARD_INDEX in indexes,
        "top_node": document["Plan"]["Node Type"],
    }


def measure_leaderboard(competition: Competition) -> dict:
    """Return the leaderboard figures: EXPLAIN ANALYZE, the Python call, the 单位 ranking."""
    figures = explain_leaderboard(competition.id)
    leaderboard(competition.id, 50)  # warm the connection and the statement cache
    _, figures["call_ms"] = _timed(leaderboard, competition.id, 50)
    _, figures["organization_ranking_ms"] = _timed(organization_ranking, competition)
    figures["participants"] = db.session.scalar(
        select(func.count(Participant.id)).where(Participant.competition_id == competition.id, Participant.best_score.is_not(None))
    )
    return figures


def measure_export(competition: Competition) -> dict:
    """Time the streamed results export, if this branch has it; report peak memory (bytes)."""
    try:
        results = importlib.import_module("quizapp.contests.results")
    except ImportError:
        return {"present": False, "note": "quizapp.contests.results is not on this branch"}
    export = getattr(results, "export_results", None)
    if export is None:
        return {"present": False, "note": "quizapp.contests.results has no export_results"}
    tracemalloc.start()
    started = time.perf_counter()
    output = export(competition) if len(inspect.signature(export).parameters) == 1 else export(competition.id)
    size = 0
    if hasattr(output, "read"):
        while chunk := output.read(1 << 20):
            size += len(chunk)
    elif isinstance(output, bytes | bytearray):
        size = len(output)
    else:
        for chunk in output:
            size += len(chunk)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"present": True, "ms": elapsed, "bytes": size, "tracemalloc_peak_bytes": peak,
            "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def measure_statistics(competition: Competition) -> dict:
    """Time the competition statistics, if this branch has them."""
    try:
        statistics = importlib.import_module("quizapp.contests.statistics")
    except ImportError:
        return {"present": False, "note": "quizapp.contests.statistics is not on this branch"}
    figures = {"present": True}
    for name, function in inspect.getmembers(statistics, inspect.isfunction):
        if name.startswith("_") or function.__module__ != statistics.__name__:
            continue
        parameters = list(inspect.signature(function).parameters.values())
        required = [p for p in parameters if p.default is inspect.Parameter.empty]
        if len(required) != 1 or required[0].name not in ("competition", "competition_id"):
            continue
        argument = competition if required[0].name == "competition" else competition.id
        _, figures[f"{name}_ms"] = _timed(function, argument)
    return figures


def _explain(statement) -> dict:
    """Run a SQLAlchemy statement under EXPLAIN ANALYZE; return its execution time (ms) and top node."""
    compiled = statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    plan = db.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {compiled}")).scalar()
    document = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    return {"execution_ms": round(document["Execution Time"], 2), "top_node": document["Plan"]["Node Type"]}


def _admin_client(app):
    """Return a test client logged in through the real login form as ``bench-admin`` (a fresh password each run)."""
    import re
    import secrets

    from quizapp.accounts.models import StaffUser
    from quizapp.accounts.passwords import hash_password

    password = "Bench-" + secrets.token_urlsafe(12)
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == "bench-admin"))
    if user is None:
        user = StaffUser(username="bench-admin", display_name="bench", roles=["admin"], is_active=True)
        db.session.add(user)
    user.password_hash = hash_password(password)
    db.session.commit()
    client = app.test_client()
    form = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"username": "bench-admin", "password": password, **({"csrf_token": token.group(1)} if token else {})}
    response = client.post("/staff/login", data=data)
    if response.status_code != 302:
        raise SystemExit(f"bench-admin could not log in: {response.status_code}")
    return client


def measure_statistics_store(app, competition: Competition) -> dict:
    """Time the stored statistics: fingerprint, page without snapshot, recompute, page with it, idle job."""
    try:
        store = importlib.import_module("quizapp.contests.statistics_store")
    except ImportError:
        return {"present": False, "note": "quizapp.contests.statistics_store is not on this branch"}
    from sqlalchemy import delete

    from quizapp.contests.models import StatisticsSnapshot

    db.session.execute(delete(StatisticsSnapshot).where(StatisticsSnapshot.competition_id == competition.id))
    db.session.commit()
    figures: dict = {"present": True, "inline_limit": store.inline_limit()}
    store.source_fingerprint(competition)  # warm
    fingerprint, figures["fingerprint_ms"] = _timed(store.source_fingerprint, competition)
    figures["submitted"] = fingerprint.submitted
    captured: list = []
    original = db.session.execute

    def capture(statement, *args, **kwargs):
        captured.append(statement)
        return original(statement, *args, **kwargs)

    db.session.execute = capture
    try:
        store.source_fingerprint(competition)
    finally:
        db.session.execute = original
    figures["fingerprint_plan"] = _explain(captured[0])
    page, figures["page_without_snapshot_ms"] = _timed(store.statistics_page, competition.id)
    figures["page_without_snapshot_shows"] = "统计正在生成" if page.stats is None else "figures"
    (_, snapshot), figures["recompute_ms"] = _timed(store.recompute, competition)
    figures["snapshot_json_bytes"] = len(json.dumps(snapshot.data, ensure_ascii=False).encode())
    db.session.expire_all()
    page, figures["page_with_snapshot_service_ms"] = _timed(store.statistics_page, competition.id)
    figures["page_with_snapshot_is_current"] = page.is_current
    client = _admin_client(app)
    url = f"/staff/reports/competitions/{competition.id}/statistics"
    timings = []
    for _ in range(3):
        response, elapsed = _timed(client.get, url)
        timings.append(elapsed)
        if response.status_code != 200:
            return {**figures, "page_http_status": response.status_code}
    figures["page_http_ms"] = sorted(timings)[1]
    figures["page_http_ms_all"] = timings
    _, figures["job_nothing_stale_ms"] = _timed(store.refresh_stale)
    return figures


def _inline_competition(template: Competition, size: int) -> Competition:
    """Return the clone ``bench-inline-<size>`` of *template* with *size* participants (made once)."""
    slug = f"bench-inline-{size}"
    clone = db.session.scalar(select(Competition).where(Competition.slug == slug))
    if clone is None:
        clone = Competition(
            slug=slug, title=f"内联上限测量 {size}", starts_at=template.starts_at, ends_at=template.ends_at,
            time_limit_s=template.time_limit_s, pass_mark=template.pass_mark, organizations=list(template.organizations or []),
            default_points=dict(template.default_points or {}), paper_rule=dict(template.paper_rule or {}),
        )  # fmt: skip
        db.session.add(clone)
        db.session.commit()
        add_participants(clone, size, responses=True)
    return clone


def measure_inline_sizes(template: Competition, sizes: list[int]) -> dict:
    """Time the recompute of competitions of each size (ms, median of 3), to set the page's inline limit."""
    store = importlib.import_module("quizapp.contests.statistics_store")
    figures = {}
    for size in sizes:
        clone = _inline_competition(template, size)
        timings = sorted(_timed(store.recompute, clone)[1] for _ in range(3))
        figures[str(size)] = {"recompute_ms": timings[1], "all": timings}
    return figures


def _default_environment() -> None:
    """Point the app at the benchmark database (``BENCH_PG_URL``) with throwaway keys unless told otherwise."""
    if not os.environ.get("QUIZAPP_DATABASE_URL"):
        os.environ["QUIZAPP_DATABASE_URL"] = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/quizapp_bench")
    if not os.environ.get("QUIZAPP_PII_KEY"):
        from cryptography.fernet import Fernet

        os.environ["QUIZAPP_PII_KEY"] = Fernet.generate_key().decode()
    os.environ.setdefault("QUIZAPP_SECRET_KEY", "bench-secret-key-" + "x" * 32)
    os.environ.setdefault("QUIZAPP_ENV", "development")


def _recreate_database(url: str) -> None:
    """Drop and create the database of *url*; refuses any name without ``bench`` in it or the ``quizapp_vol_`` prefix."""
    import psycopg

    base, name = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)
    if "bench" not in name and not name.startswith("quizapp_vol_"):
        raise SystemExit(f"refusing to recreate {name!r}: --fresh only recreates a database named *bench* or quizapp_vol_*")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    """Parse the options, load the data and print the figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--leaderboard-only", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="recreate the database and load the starter content first")
    parser.add_argument("--skip-export", action="store_true", help="measure the leaderboard and the statistics only")
    parser.add_argument("--inline-sizes", default="", help="comma-separated competition sizes whose recompute to time (e.g. 1000,3000)")
    options = parser.parse_args()
    _default_environment()
    if options.fresh:
        _recreate_database(os.environ["QUIZAPP_DATABASE_URL"])
        subprocess.run([sys.executable, "-m", "flask", "--app", "quizapp", "db", "upgrade"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "flask", "--app", "quizapp", "content", "sync"], cwd=ROOT, check=True, capture_output=True)
    app = create_app()
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            raise SystemExit("volume.py needs PostgreSQL (QUIZAPP_DATABASE_URL)")
        competition = db.session.scalar(select(Competition).where(Competition.slug == COMPETITION))
        have = db.session.scalar(
            select(func.count(Participant.id)).where(Participant.competition_id == competition.id, Participant.best_score.is_not(None))
        )
        started = time.perf_counter()
        if options.participants > have:
            add_participants(competition, options.participants - have, responses=not options.leaderboard_only)
        figures = {"load_s": round(time.perf_counter() - started, 1)}
        figures.update(measure_leaderboard(competition))
        if not options.leaderboard_only:
            figures["responses"] = db.session.execute(text("SELECT count(*) FROM paper_item")).scalar()
            figures["statistics"] = measure_statistics(competition)
            figures["statistics_store"] = measure_statistics_store(app, competition)
            if options.inline_sizes:
                sizes = [int(size) for size in options.inline_sizes.split(",") if size.strip()]
                figures["inline_sizes"] = measure_inline_sizes(competition, sizes)
            if not options.skip_export:
                figures["export"] = measure_export(competition)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
