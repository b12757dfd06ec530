"""The phone number is stored encrypted and shown nowhere in full: pages, API, database."""

from __future__ import annotations

from sqlalchemy import select, text

from quizapp.contests.models import Participant
from quizapp.privacy.phone import decrypt_phone, mask_phone, phone_lookup_hash
from tests.contests.factories import API, answer_all, auth, entrant, start, start_form, start_in_browser, submit

BROWSER_PHONE = "13800138000"
API_PHONE = "13912345678"


def _everything_public(client, competition, api_attempt: dict, browser_attempt_id: int) -> dict[str, str]:
    """Return the text of every public page and API response after both attempts, by URL."""
    urls = [
        "/",
        f"/competitions/{competition.id}",
        f"/competitions/{competition.id}/leaderboard",
        f"/attempts/{browser_attempt_id}/result",
        f"{API}/competitions",
        f"{API}/competitions/{competition.id}",
        f"{API}/competitions/{competition.id}/leaderboard",
        f"{API}/competitions/{competition.id}/leaderboard/organizations",
    ]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.get_data(as_text=True)
    attempt_url = f"{API}/attempts/{api_attempt['attempt_id']}"
    bodies[attempt_url] = client.get(attempt_url, headers=auth(api_attempt["token"])).get_data(as_text=True)
    return bodies


def test_no_public_page_or_api_response_contains_a_full_phone(client, competition):
    browser_attempt_id = start_in_browser(client, competition, phone="138 0013 8000")
    client.post(f"/attempts/{browser_attempt_id}/submit")
    body = entrant(competition, name="赵六", phone="+86 139-1234-5678")
    started = client.post(f"{API}/competitions/{competition.id}/attempts", json=body)
    api_attempt = started.get_json()
    answer_all(client, api_attempt)
    submitted = client.post(f"{API}/attempts/{api_attempt['attempt_id']}/submit", headers=auth(api_attempt["token"]))

    bodies = _everything_public(client, competition, api_attempt, browser_attempt_id)
    bodies["start response"] = started.get_data(as_text=True)
    bodies["submit response"] = submitted.get_data(as_text=True)

    for where, body in bodies.items():
        for phone in (BROWSER_PHONE, API_PHONE):
            assert phone not in body, where


def test_phone_is_stored_encrypted_with_a_masked_copy_and_a_keyed_lookup_hash(client, competition, db):
    start_in_browser(client, competition, phone="+86 138-0013-8000")
    start(client, competition, phone="１３９ １２３４ ５６７８", name="赵六")

    participants = {p.phone_masked: p for p in db.session.scalars(select(Participant))}

    assert set(participants) == {"138****8000", "139****5678"}
    for phone in (BROWSER_PHONE, API_PHONE):
        participant = participants[mask_phone(phone)]
        assert phone not in participant.phone_encrypted
        assert decrypt_phone(participant.phone_encrypted) == phone
        assert participant.phone_hmac == phone_lookup_hash(phone) and phone not in participant.phone_hmac


def test_no_column_of_any_table_holds_the_phone_in_clear(client, competition, db):
    start_in_browser(client, competition, phone=BROWSER_PHONE)
    attempt = start(client, competition, phone=API_PHONE, name="赵六")
    submit(client, attempt)

    leaks = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            leaks += [f"{table.name}: {value}" for value in row if BROWSER_PHONE in str(value) or API_PHONE in str(value)]

    assert leaks == []
    assert db.session.execute(text("select phone_masked from participant order by id")).scalars().all() == ["138****8000", "139****5678"]


def test_the_start_form_echoes_no_phone_after_a_successful_start(client, competition):
    response = client.post(f"/competitions/{competition.id}/start", data=start_form(competition), follow_redirects=True)

    assert response.status_code == 200
    assert BROWSER_PHONE not in response.get_data(as_text=True)
