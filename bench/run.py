"""``make bench``: quizapp under gunicorn against a bare Flask app, driven by locust; writes bench/results.md.

Steps (each printed as it runs):

1. the ceiling: bench/hello.py under the same gunicorn.conf.py, ``HelloUser`` at saturation;
2. for each backend (SQLite, and PostgreSQL database ``quizapp_bench`` when the server answers):
   a fresh database, ``flask db upgrade``, bench/seed.py (500 questions, the 20-question
   competition, 10,000 finished attempts, 1,000 articles), quizapp under gunicorn, then
   readers at saturation, participants at saturation, and 200 participants with 1–3 s of
   thinking between requests;
3. on PostgreSQL, participants topped up to 100,000 and the leaderboard query run under
   ``EXPLAIN (ANALYZE, FORMAT JSON)`` (bench/volume.py);
4. the table: requests/s, p50, p99, errors and the ratio to the ceiling per scenario.

Settings (environment): ``BENCH_DURATION_S`` (30: seconds measured per saturation scenario),
``BENCH_THINK_DURATION_S`` (45: the 200-participant run), ``BENCH_USERS`` (32: users at saturation),
``BENCH_PARTICIPANTS`` (200), ``BENCH_ARRIVALS_PER_S`` (10: how fast the 200 arrive), ``BENCH_BACKENDS`` (``sqlite,postgresql``),
``BENCH_PG_URL`` (``postgresql+psycopg://postgres@127.0.0.1:5432/quizapp_bench``),
``BENCH_REDIS_URL`` (``redis://127.0.0.1:6379/14``, used on PostgreSQL when it answers).
gunicorn's own settings come from gunicorn.conf.py and its ``QUIZAPP_*`` variables (workers …).

The attempt-start rate limit (``QUIZAPP_ATTEMPT_START_LIMIT``, 60 per minute per address in
production) is raised to 1,000,000 per minute here: every simulated participant comes from 127.0.0.1.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION_S = int(os.environ.get("BENCH_DURATION_S", "30"))
THINK_DURATION_S = int(os.environ.get("BENCH_THINK_DURATION_S", "45"))
USERS = int(os.environ.get("BENCH_USERS", "32"))
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "200"))
# 200 participants who each take ~45 s per attempt (23 requests, 1–3 s apart) are kept up by
# ~4.4 new arrivals per second; they arrive at 10 per second (a 20 s ramp), twice that rate.
# Spawning all 200 in 4 s (the saturation scenarios' rate) would measure a queue of 200
# simultaneous starts that no district contest produces, not the steady state the target names.
ARRIVALS_PER_S = int(os.environ.get("BENCH_ARRIVALS_PER_S", "10"))
BACKENDS = [name.strip() for name in os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",") if name.strip()]
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/quizapp_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
START_LIMIT = "1000000 per minute"
VERSIONS_SHOWN = (
    "python", "Flask", "Werkzeug", "SQLAlchemy", "gunicorn", "locust", "psycopg", "Flask-Caching", "sqlite", "postgresql", "redis",
)
# Targets of issue #6 (figures are reported; pass/fail is zero errors).
P99_TARGET_MS = 300
PARTICIPANT_RATIO_TARGET = 0.40
READER_RATIO_TARGET = 0.60


@dataclass
class Result:
    """One scenario's figures (requests/s, milliseconds, counts) and the per-request rows."""

    scenario: str
    backend: str
    users: int
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    rows: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def log(message: str) -> None:
    """Print a progress line (flushed, so ``make bench`` shows it at once)."""
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_http(url: str, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout_s} s")


class Gunicorn:
    """gunicorn with the repository's gunicorn.conf.py, started and stopped around a block."""

    def __init__(self, name: str, target: str, env: dict[str, str], extra: tuple[str, ...] = ()) -> None:
        self.name, self.target, self.env, self.extra = name, target, env, extra
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        if _port_open(PORT):
            raise RuntimeError(f"port {PORT} is taken; set BENCH_PORT")
        env = {**os.environ, **self.env, "QUIZAPP_BIND": f"127.0.0.1:{PORT}", "QUIZAPP_ACCESS_LOG": str(OUT / f"{self.name}-access.log")}
        self.log = open(OUT / f"{self.name}-gunicorn.log", "w")  # noqa: SIM115 - closed in __exit__
        command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), *self.extra, self.target]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            _wait_http(f"http://127.0.0.1:{PORT}/")
        except BaseException:
            self.__exit__()  # never leave a server behind on the port
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def locust(
    name: str, backend: str, user_class: str, users: int, duration_s: int, env: dict[str, str], spawn_rate: int | None = None
) -> Result:
    """Run locust headless against the server on PORT; return the aggregated figures (after spawning).

    Users start at *spawn_rate* per second (default: all within 4 s); statistics are reset once
    all of them run, and *duration_s* seconds are measured after that.
    """
    prefix = OUT / f"{backend}-{name}"
    rate = spawn_rate or max(1, users // 4)
    command = [
        str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless", "--only-summary", "--reset-stats",
        "-u", str(users), "-r", str(rate), "-t", f"{duration_s + -(-users // rate) + 1}s",
        "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--exit-code-on-error", "0", "--loglevel", "WARNING",
        user_class,
    ]
    log(f"{backend}: {name} — {users} users, {user_class}, {duration_s} s")
    with open(f"{prefix}-locust.log", "w") as output:
        subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT, check=True)
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = []
    failure_file = Path(f"{prefix}_failures.csv")
    if failure_file.exists():
        with open(failure_file, newline="", encoding="utf-8") as handle:
            failures = [f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:160]}" for row in csv.DictReader(handle)]
    result = Result(
        name, backend, users, float(total["Requests/s"]), float(total["50%"] or 0), float(total["99%"] or 0),
        int(total["Request Count"]), int(total["Failure Count"]),
        rows=[row for row in rows if row["Name"] != "Aggregated"], failures=failures,
    )
    log(f"{backend}: {name}: {result.rps:.0f} req/s, p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, {result.errors} errors")
    return result


def _pg_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(_admin_dsn(), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _admin_dsn() -> str:
    url = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    return url.rsplit("/", 1)[0] + "/postgres"


def _pg_name() -> str:
    return PG_URL.rsplit("/", 1)[1]


def fresh_database(backend: str) -> str:
    """Return the URL of an empty database for *backend* (the file or the database is recreated)."""
    if backend == "sqlite":
        path = OUT / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(_admin_dsn(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{_pg_name()}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{_pg_name()}"')
    return PG_URL


def _redis_reachable() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()  # the benchmark's own database number only
        return True
    except Exception:  # noqa: BLE001 - any failure means "no Redis"
        return False


def app_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    """Return the environment quizapp runs with in the benchmark."""
    from cryptography.fernet import Fernet

    env = {
        "QUIZAPP_ENV": "development",
        "QUIZAPP_DATABASE_URL": database_url,
        "QUIZAPP_SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "QUIZAPP_PII_KEY": os.environ.get("BENCH_PII_KEY") or Fernet.generate_key().decode(),
        "QUIZAPP_ATTEMPT_START_LIMIT": START_LIMIT,
        "QUIZAPP_SCHEDULER_EMBEDDED": "0",
    }
    if redis_url:
        env["QUIZAPP_REDIS_URL"] = redis_url
    else:
        env.pop("QUIZAPP_REDIS_URL", None)
    return env


def run_backend(backend: str, ceiling: Result, phone_base: int) -> tuple[list[Result], dict]:
    """Seed *backend*, serve it and run the three scenarios; return the results and notes."""
    database_url = fresh_database(backend)
    redis_url = REDIS_URL if backend == "postgresql" and _redis_reachable() else None
    env = app_env(database_url, redis_url)
    child_env = {**os.environ, **env}
    if not redis_url:
        child_env.pop("QUIZAPP_REDIS_URL", None)
    log(f"{backend}: migrating and seeding {database_url}")
    subprocess.run([str(BIN / "flask"), "--app", "quizapp", "db", "upgrade"], cwd=ROOT, env=child_env, check=True, capture_output=True)
    seeded = subprocess.run([sys.executable, str(BENCH / "seed.py")], cwd=ROOT, env=child_env, check=True, capture_output=True, text=True)
    data = json.loads(seeded.stdout.strip().splitlines()[-1])
    data_file = OUT / f"{backend}-data.json"
    data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    log(f"{backend}: seeded in {data['seconds']} s: {data['questions']} questions, {data['articles']} articles, "
        f"{data['finished_attempts']} finished attempts")
    notes = {"seed": data, "redis": redis_url or "none (memory per worker)"}
    results = []
    locust_env = {"BENCH_DATA": str(data_file)}
    with Gunicorn(f"quizapp-{backend}", "wsgi:app", env) as server:
        results.append(locust("readers", backend, "ReaderUser", USERS, DURATION_S, locust_env))
        results.append(locust("participants", backend, "ParticipantUser", USERS, DURATION_S,
                              {**locust_env, "BENCH_PHONE_BASE": str(phone_base)}))
        results.append(locust(f"participants-{PARTICIPANTS}-thinking", backend, "ParticipantUser", PARTICIPANTS, THINK_DURATION_S,
                              {**locust_env, "BENCH_WAIT": "think", "BENCH_PHONE_BASE": str(phone_base + 50_000_000)},
                              spawn_rate=ARRIVALS_PER_S))
        notes["workers"] = server.process and _workers_line(OUT / f"quizapp-{backend}-gunicorn.log")
    if backend == "postgresql":
        log("postgresql: leaderboard for 100,000 attempts (EXPLAIN ANALYZE)")
        measured = subprocess.run(
            [sys.executable, str(BENCH / "volume.py"), "--leaderboard-only", "--participants", "100000"],
            cwd=ROOT, env=child_env, check=True, capture_output=True, text=True,
        )
        notes["leaderboard"] = json.loads(measured.stdout.strip().splitlines()[-1])
        log(f"postgresql: leaderboard {notes['leaderboard']['execution_ms']} ms, index {notes['leaderboard']['index_used']}")
    for result in results:
        result.rows = result.rows  # keep per-request rows for the report
    return results, notes


def _workers_line(path: Path) -> int:
    """Return how many workers served at once: boots minus restarts after ``max_requests``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return sum("Booting worker" in line for line in lines) - sum("Autorestarting worker" in line for line in lines)


def machine() -> dict[str, str]:
    """Return the CPU, cores, load and the versions of everything measured."""
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    packages = ("Flask", "Werkzeug", "SQLAlchemy", "gunicorn", "locust", "psycopg", "Flask-Caching")
    versions = {name: metadata.version(name) for name in packages}
    info = {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        **versions,
    }
    try:
        import psycopg

        with psycopg.connect(_admin_dsn(), connect_timeout=3) as connection:
            info["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001
        info["postgresql"] = "not reachable"
    try:
        import redis

        info["redis"] = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).info("server")["redis_version"]
    except Exception:  # noqa: BLE001
        info["redis"] = "not reachable"
    return info


def report(ceiling: Result, results: list[Result], notes: dict, before: dict, after_load: str, started: datetime) -> str:
    """Return bench/results.md's measured section (Markdown)."""
    lines = [
        f"## Run of {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {before['cpu']}, {before['cores']} cores (generator, server and database on the same cores). "
        f"Load average before the run: {before['load']}; after: {after_load}.",
        "Versions: " + ", ".join(f"{key} {before[key]}" for key in VERSIONS_SHOWN),
        f"Settings: gunicorn.conf.py ({notes.get('workers_ceiling')} sync workers), locust FastHttpUser in one process; "
        f"saturation scenarios {USERS} users without pauses for {DURATION_S} s, the thinking scenario {PARTICIPANTS} users "
        f"pausing 1–3 s between requests, arriving {ARRIVALS_PER_S} per second, measured for {THINK_DURATION_S} s; "
        "statistics reset once all users run. "
        f"QUIZAPP_ATTEMPT_START_LIMIT={START_LIMIT!r} (every simulated participant shares 127.0.0.1).",
        "",
        "| backend | scenario | users | req/s | p50 ms | p99 ms | requests | errors | ratio to ceiling | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
        _row(ceiling, ceiling, "the ceiling"),
    ]
    for result in results:
        lines.append(_row(result, ceiling, _target(result, ceiling)))
    lines.append("")
    for backend, info in notes.items():
        if not isinstance(info, dict) or "seed" not in info:
            continue
        seed = info["seed"]
        lines.append(
            f"- {backend}: seeded {seed['questions']} questions, {seed['articles']} articles, {seed['finished_attempts']} finished "
            f"attempts in {seed['seconds']} s; shared state: {info['redis']}."
        )
        board = info.get("leaderboard")
        if board:
            lines.append(
                f"- {backend}: leaderboard (top 50) over {board['participants']:,} participants with a result: "
                f"EXPLAIN ANALYZE execution {board['execution_ms']} ms (planning {board['planning_ms']} ms), "
                f"index used: {board['index_used']}; the app's own `leaderboard()` call: {board['call_ms']} ms. "
                f"Target < 50 ms: {'holds' if board['execution_ms'] < 50 else 'missed'}."
            )
    failures = [f"- {r.backend} {r.scenario}: {line}" for r in results for line in r.failures]
    if failures:
        lines += ["", "Errors:", *failures]
    lines += ["", "Per request (p50 / p99 ms, req/s):", ""]
    for result in results:
        detail = "; ".join(f"{row['Name']} {row['50%']}/{row['99%']} ({float(row['Requests/s']):.0f}/s)" for row in result.rows)
        lines.append(f"- {result.backend} {result.scenario}: {detail}")
    return "\n".join(lines) + "\n"


def _target(result: Result, ceiling: Result) -> str:
    ratio = result.rps / ceiling.rps if ceiling.rps else 0
    verdict = "pass" if result.errors == 0 else "FAIL (errors)"
    if result.scenario == "readers":
        return f"{verdict}; ≥ 60% of ceiling: {'holds' if ratio >= READER_RATIO_TARGET else 'missed'}"
    if result.scenario == "participants":
        return f"{verdict}; ≥ 40% of ceiling: {'holds' if ratio >= PARTICIPANT_RATIO_TARGET else 'missed'}"
    return f"{verdict}; p99 < {P99_TARGET_MS} ms: {'holds' if result.p99_ms < P99_TARGET_MS else 'missed'}"


def _row(result: Result, ceiling: Result, target: str) -> str:
    ratio = f"{result.rps / ceiling.rps:.0%}" if ceiling.rps else "–"
    return (
        f"| {result.backend} | {result.scenario} | {result.users} | {result.rps:.0f} | {result.p50_ms:.0f} | {result.p99_ms:.0f} | "
        f"{result.requests} | {result.errors} | {ratio} | {target} |"
    )


def main() -> int:
    """Run everything, print the table and write bench/results.md; exit 1 if any scenario had errors."""
    OUT.mkdir(exist_ok=True)
    started = datetime.now(UTC)
    before = machine()
    log(f"machine: {before['cpu']}, {before['cores']} cores, load {before['load']}")
    with Gunicorn("hello", "hello:app", {}, ("--pythonpath", str(BENCH))) as server:
        ceiling = locust("ceiling", "flask-hello", "HelloUser", USERS, DURATION_S, {})
        workers = _workers_line(OUT / "hello-gunicorn.log")
    del server
    results: list[Result] = []
    notes: dict = {"workers_ceiling": workers}
    for index, backend in enumerate(BACKENDS):
        if backend == "postgresql" and not _pg_reachable():
            log("postgresql: not reachable, skipped")
            notes["postgresql"] = "not reachable"
            continue
        backend_results, backend_notes = run_backend(backend, ceiling, phone_base=100_000_000 * (index + 1))
        results += backend_results
        notes[backend] = backend_notes
    measured = report(ceiling, results, notes, before, " ".join(f"{value:.2f}" for value in os.getloadavg()), started)
    print()
    print(measured)
    results_file = BENCH / "results.md"
    text = results_file.read_text(encoding="utf-8") if results_file.exists() else "# Benchmark results\n"
    marker = "<!-- measured: bench/run.py replaces everything below this line -->"
    head = text.split(marker, 1)[0].rstrip() + "\n\n" if marker in text else text.rstrip() + "\n\n"
    results_file.write_text(head + marker + "\n\n" + measured, encoding="utf-8")
    log(f"wrote {results_file.relative_to(ROOT)}")
    return 1 if any(result.errors for result in [ceiling, *results]) else 0


if __name__ == "__main__":
    sys.exit(main())
