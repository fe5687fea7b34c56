"""Parallel writes lose and double nothing: 20 threads against a live server, each with its own
database connection (SQLite in a file with WAL here; CI runs the file again on PostgreSQL)."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.test import Client

from scenarios import exams
from scenarios.models import Answer, ExamSession, ReviewCard, Scenario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PARALLEL = 20
CSRF = "k" * 32


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def post(url: str, data: dict | list, session: str | None = None) -> int:
    cookie = f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data, doseq=True).encode(), method="POST",
                                     headers={"Cookie": cookie, "X-CSRFToken": CSRF, "Referer": url})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def all_at_once(calls) -> list[int]:
    """Run the calls in PARALLEL threads that start together."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def exam(learner, pack):
    exam = exams.start(user=learner, count=PARALLEL)
    assert len(exam.items) == PARALLEL
    return exam


def test_twenty_parallel_autosaves_of_different_questions_are_all_kept(live_server, learner, exam):
    session = session_cookie(learner)
    url = f"{live_server.url}/exams/{exam.pk}/answer/%d/"
    statuses = all_at_once([lambda i=i: post(url % i, {f"q{i}": "1"}, session) for i in range(PARALLEL)])
    assert statuses == [200] * PARALLEL
    exam.refresh_from_db()
    assert sorted(exam.answers) == sorted(str(i) for i in range(PARALLEL))


def test_twenty_parallel_finishes_grade_the_exam_once(live_server, learner, exam):
    for i in range(PARALLEL):
        exams.save_answer(exam=exam, index=i, selected=[0])
    session = session_cookie(learner)
    url = f"{live_server.url}/exams/{exam.pk}/finish/"
    statuses = all_at_once([lambda: post(url, {}, session) for _ in range(PARALLEL)])
    assert statuses == [302] * PARALLEL
    assert Answer.objects.filter(user=learner).count() == PARALLEL
    assert ExamSession.objects.get(pk=exam.pk).finished
    wrong = sum(not r["right"] for r in ExamSession.objects.get(pk=exam.pk).results)
    assert ReviewCard.objects.filter(user=learner, reviews=1).count() == wrong  # each rated once


def test_twenty_parallel_answers_to_one_question_store_each_and_one_review_card(live_server, learner, pack):
    scenario = next(s for s in Scenario.objects.published() if s.questions and s.questions[0].get("choose", 1) == 1)
    session = session_cookie(learner)
    url = f"{live_server.url}/scenarios/{scenario.slug}/questions/1/"
    wrong = next(i for i in range(len(scenario.questions[0]["options"])) if i not in scenario.question_keys[0])
    statuses = all_at_once([lambda: post(url, {"option": str(wrong)}, session) for _ in range(PARALLEL)])
    assert statuses == [200] * PARALLEL
    assert Answer.objects.filter(user=learner, scenario=scenario).count() == PARALLEL
    assert ReviewCard.objects.filter(user=learner, scenario=scenario, question=0).count() == 1


def test_twenty_parallel_sign_ups_with_one_name_make_one_account_and_no_error(live_server, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "100/m/ip"}  # one test address stands for twenty people
    url = f"{live_server.url}/accounts/signup/"
    form = {"username": "same-name", "password1": "Long-pass-2026!", "password2": "Long-pass-2026!"}
    statuses = all_at_once([lambda: post(url, form) for _ in range(PARALLEL)])
    # one account; the others see the name taken (200) or, when the shared rate-limit lock is busy, 429
    assert statuses.count(302) == 1 and statuses.count(200) + statuses.count(429) == PARALLEL - 1
    assert get_user_model().objects.filter(username="same-name").count() == 1


def test_twenty_parallel_guesses_try_at_most_the_allowed_number_of_passwords(live_server, learner, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "100/m/ip,5/900s/key"}
    tried = []
    receiver = lambda **kwargs: tried.append(1)  # noqa: E731 - counts passwords actually checked
    user_login_failed.connect(receiver)
    try:
        url = f"{live_server.url}/accounts/login/"
        statuses = all_at_once([lambda: post(url, {"login": "alice", "password": "wrong"}) for _ in range(PARALLEL)])
    finally:
        user_login_failed.disconnect(receiver)
    # each guess is refused: the form's error (200), or 429 when the shared rate-limit lock stays busy
    assert set(statuses) <= {200, 429} and 1 <= len(tried) <= 5
