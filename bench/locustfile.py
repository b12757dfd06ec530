"""Load shapes for ``make bench`` (locust, headless): the ceiling, readers and participants.

- ``HelloUser``: ``GET /`` on the bare Flask app (bench/hello.py): the ceiling.
- ``ReaderUser``: the home page, a case, a law article and a monthly warning.
- ``ParticipantUser``: start an attempt through the JSON API (a new phone number each time),
  save 20 responses, submit (交卷) and read the leaderboard: 23 requests per attempt.

``BENCH_WAIT`` chooses the pause between a user's requests: ``0`` (saturation: the
throughput figures) or ``think`` (1–3 s, a person reading a question: the latency figures).
``BENCH_DATA`` names the JSON file bench/seed.py printed (competition id, reader URLs).
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, between, constant, task

DATA = json.loads(open(os.environ["BENCH_DATA"], encoding="utf-8").read()) if os.environ.get("BENCH_DATA") else {}
WAIT = os.environ.get("BENCH_WAIT", "0")
_phones = itertools.count(int(os.environ.get("BENCH_PHONE_BASE", "0")))


def _wait():
    return between(1, 3) if WAIT == "think" else constant(0)


def _answer(question: dict):
    """Return a response of the question's shape (the first option, true, or a text per blank)."""
    options = [option["id"] for option in question["options"]]
    kind = question["type"]
    if kind == "single_choice":
        return options[0]
    if kind == "multiple_choice":
        return options[:2]
    if kind == "true_false":
        return True
    return ["安全"] * max(1, question.get("blanks") or 1)


class HelloUser(FastHttpUser):
    """The ceiling: one trivial request, as fast as the generator and server go."""

    wait_time = _wait()

    @task
    def hello(self):
        """Fetch the greeting."""
        self.client.get("/", name="hello")


class ReaderUser(FastHttpUser):
    """A reader: the home page, then a case, a law article and a monthly warning."""

    wait_time = _wait()

    @task
    def read(self):
        """Open the four pages in turn."""
        self.client.get("/", name="home")
        self.client.get(random.choice(DATA["cases"]), name="case")
        self.client.get(random.choice(DATA["law_articles"]), name="law article")
        self.client.get(random.choice(DATA["warnings"]), name="monthly warning")


class ParticipantUser(FastHttpUser):
    """A participant: start, 20 responses, submit, leaderboard (JSON API)."""

    wait_time = _wait()

    @task
    def take_part(self):
        """Take part once, as a new phone number (the run's base + a counter: unique within a run)."""
        competition_id = DATA["competition_id"]
        number = next(_phones)
        entrant = {
            "name": f"压测{number % 10000}",
            "phone": f"13{number % 10**9:09d}",
            "organization": DATA["organizations"][number % len(DATA["organizations"])],
            "group": "public",
            "consent": True,
        }
        with self.client.post(
            f"/api/v1/competitions/{competition_id}/attempts", json=entrant, name="start attempt", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"start answered {response.status_code}: {response.text[:200]}")
                return
            paper = response.json()
        headers = {"Authorization": f"Bearer {paper['token']}"}
        attempt = paper["attempt_id"]
        for question in paper["questions"]:
            self.wait()
            self.client.put(
                f"/api/v1/attempts/{attempt}/responses/{question['id']}",
                json={"answer": _answer(question)},
                headers=headers,
                name="save response",
            )
        self.client.post(f"/api/v1/attempts/{attempt}/submit", headers=headers, name="submit")
        self.client.get(f"/api/v1/competitions/{competition_id}/leaderboard", name="leaderboard")
