"""CPU per reader page with and without the page cache, in-process (``make bench-profile-readers``).

Uses the SQLite database bench/run.py seeded (``bench/out/<backend>-data.json`` names the pages)
and Flask's test client, CSRF on as in production. For each reader request (the home page, a
case, a law article, a monthly warning) it measures, as the median over ``BENCH_PROFILE_ROUNDS``
rounds (default 30) of ``time.process_time`` (so other load on the machine matters less):

- **no cache**: ``PAGE_CACHE_S = 0``, every request renders (the figure before the page cache);
- **miss**: the cache on, the first request of a page (renders and stores);
- **hit, new visitor**: a stored page for a client without cookies (a WeChat link);
- **hit, returning visitor**: a stored page for a client holding its session cookie;
- and the bare Flask app of bench/hello.py, the ceiling's app, for scale;

and the SQL statements per request (the one figure the machine's load does not change).
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict

from common import ROOT, median, seeded_data  # noqa: E402  (first: puts this checkout on sys.path)
from sqlalchemy import event  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.extensions import page_cache as cache  # noqa: E402
from quizapp.public import pagecache  # noqa: E402


def main() -> int:
    """Measure every mode and print the table (milliseconds of CPU, statements)."""
    data = seeded_data()
    rounds = int(os.environ.get("BENCH_PROFILE_ROUNDS", "30"))
    if not os.environ.get("QUIZAPP_PII_KEY"):
        from cryptography.fernet import Fernet

        os.environ["QUIZAPP_PII_KEY"] = Fernet.generate_key().decode()
    os.environ.setdefault("QUIZAPP_SECRET_KEY", "bench-secret-key-" + "x" * 32)
    app = create_app()
    app.config.update(WTF_CSRF_ENABLED=True, PAGE_CACHE_TYPE=os.environ.get("BENCH_PAGE_CACHE_TYPE", "FileSystemCache"),
                      PAGE_CACHE_DIR=str(ROOT / "bench" / "out" / "page-cache"))  # fmt: skip
    pagecache.init_app(app)
    counter = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: counter.__setitem__(0, counter[0] + 1))
        cache.clear()

    cpu: dict[tuple[str, str], list[float]] = defaultdict(list)
    statements: dict[tuple[str, str], list[int]] = defaultdict(list)

    def timed(mode: str, kind: str, client, url: str) -> None:
        counter[0] = 0
        started = time.process_time()
        response = client.get(url)
        cpu[(mode, kind)].append((time.process_time() - started) * 1000)
        statements[(mode, kind)].append(counter[0])
        assert response.status_code == 200, (url, response.status_code)
        if mode.startswith("hit"):
            assert response.headers["X-Page-Cache"] == "hit", (mode, url, response.headers["X-Page-Cache"])

    def pages(round_number: int) -> list[tuple[str, str]]:
        return [("home", "/"), ("case", data["cases"][round_number % len(data["cases"])]),
                ("law article", data["law_articles"][round_number % len(data["law_articles"])]),
                ("monthly warning", data["warnings"][round_number % len(data["warnings"])])]  # fmt: skip

    returning = app.test_client()
    returning.get("/")  # holds its session (and CSRF secret) from now on
    for number in range(rounds):
        app.config["PAGE_CACHE_S"] = 0
        for kind, url in pages(number):
            timed("no cache", kind, app.test_client(), url)
        app.config["PAGE_CACHE_S"] = 3600
        with app.app_context():
            cache.clear()
        for kind, url in pages(number):
            timed("miss", kind, app.test_client(), url)
        for kind, url in pages(number):
            timed("hit, new visitor", kind, app.test_client(), url)
        for kind, url in pages(number):
            timed("hit, returning visitor", kind, returning, url)

    from hello import app as hello_app

    hello = hello_app.test_client()
    hello_cpu = []
    for _ in range(rounds * 4):
        started = time.process_time()
        hello.get("/")
        hello_cpu.append((time.process_time() - started) * 1000)

    with app.app_context():
        from quizapp.reports.usage import flush_counts

        flush_counts()
    print(f"CPU per request, milliseconds (median of {rounds}), and SQL statements (median); Flask test client, CSRF on; "
          f"pages in {app.config['PAGE_CACHE_TYPE']}")
    print("| request | no cache | miss | hit, new visitor | hit, returning visitor | statements: no cache / hit |")
    print("|---|---:|---:|---:|---:|---|")
    for kind in ("home", "case", "law article", "monthly warning"):
        row = [f"{median(cpu[(mode, kind)]):.2f}" for mode in ("no cache", "miss", "hit, new visitor", "hit, returning visitor")]
        counts = f"{median(statements[('no cache', kind)])} / {median(statements[('hit, new visitor', kind)])}"
        print(f"| {kind} | {' | '.join(row)} | {counts} |")
    print(f"| bare Flask hello (bench/hello.py) | {median(hello_cpu):.2f} | | | | 0 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
