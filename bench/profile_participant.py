"""Profile the participant path in-process with pyinstrument (``make bench-profile``).

Uses a database seeded by bench/run.py (``bench/out/<backend>-data.json`` names the competition):
starts ``BENCH_PROFILE_ATTEMPTS`` attempts (default 20) through the JSON API with Flask's test
client, saves 20 responses each, submits and reads the leaderboard, all under pyinstrument,
then prints the call tree, and per request kind the wall and CPU time (milliseconds) and the
number of SQL statements (the one figure that the machine's other load does not change).

``BENCH_READERS=1`` adds the reader pages (home, a case, a law article, a monthly warning).
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict

from common import median, seeded_data  # noqa: E402  (first: puts this checkout on sys.path)
from locustfile import _answer  # noqa: E402
from pyinstrument import Profiler  # noqa: E402
from sqlalchemy import event  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.extensions import db  # noqa: E402


def main() -> int:
    """Run the attempts under the profiler and print the figures."""
    data = seeded_data()
    attempts = int(os.environ.get("BENCH_PROFILE_ATTEMPTS", "20"))
    if not os.environ.get("QUIZAPP_PII_KEY"):  # any key encrypts new numbers; the seeded ones are never read here
        from cryptography.fernet import Fernet

        os.environ["QUIZAPP_PII_KEY"] = Fernet.generate_key().decode()
    os.environ.setdefault("QUIZAPP_SECRET_KEY", "bench-secret-key-" + "x" * 32)
    app = create_app()
    client = app.test_client()
    competition = data["competition_id"]
    timings: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    statements: dict[str, list[int]] = defaultdict(list)
    counter = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: counter.__setitem__(0, counter[0] + 1))

    def timed(kind: str, call):
        counter[0] = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        response = call()
        timings[kind].append((time.perf_counter() - started) * 1000)
        cpu[kind].append((time.process_time() - started_cpu) * 1000)
        statements[kind].append(counter[0])
        assert response.status_code in (200, 201), (kind, response.status_code, response.get_data(as_text=True)[:200])
        return response

    base = int(time.time()) % 10_000 * 10_000
    profiler = Profiler()
    profiler.start()
    for number in range(base, base + attempts):
        entrant = {"name": f"剖析{number % 10000}", "phone": f"137{number % 10**8:08d}",
                   "organization": data["organizations"][0], "group": "public", "consent": True}
        paper = timed("start attempt", lambda e=entrant: client.post(f"/api/v1/competitions/{competition}/attempts", json=e)).get_json()
        headers = {"Authorization": f"Bearer {paper['token']}"}
        for question in paper["questions"]:
            url = f"/api/v1/attempts/{paper['attempt_id']}/responses/{question['id']}"
            timed("save response", lambda u=url, q=question, h=headers: client.put(u, json={"answer": _answer(q)}, headers=h))
        timed("submit", lambda p=paper, h=headers: client.post(f"/api/v1/attempts/{p['attempt_id']}/submit", headers=h))
        timed("leaderboard", lambda: client.get(f"/api/v1/competitions/{competition}/leaderboard"))
        if os.environ.get("BENCH_READERS"):
            for kind, url in (("home", "/"), ("case", data["cases"][number % len(data["cases"])]),
                              ("law article", data["law_articles"][number % len(data["law_articles"])]),
                              ("monthly warning", data["warnings"][number % len(data["warnings"])])):
                timed(kind, lambda u=url: client.get(u))
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False))
    print("| request | n | SQL statements (median) | CPU ms (median) | wall ms (median) |")
    print("|---|---:|---:|---:|---:|")
    for kind, values in timings.items():
        print(f"| {kind} | {len(values)} | {median(statements[kind]):.0f} | {median(cpu[kind]):.1f} | {median(values):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
