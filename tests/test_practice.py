"""Timed practice exams and the spaced-review queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scenarios import exams, review
from scenarios.models import Answer, ExamSession, ReviewCard

pytestmark = pytest.mark.django_db


def test_an_exam_draws_questions_across_tips(learner, pack):
    exam = exams.start(user=learner, count=20, minutes=40)
    from scenarios.models import Scenario

    tips = {Scenario.objects.get(id=s).tip for s, _ in exam.items}
    assert len(exam.items) == 20 and len(tips) == 11  # every tip before any repeats


def test_taking_an_exam_gives_no_feedback_until_the_end(learner_client, learner, pack):
    learner_client.post(reverse("scenarios:exam-start"), {"count": 3, "minutes": 40})
    exam = ExamSession.objects.get(user=learner)
    html = learner_client.get(reverse("scenarios:exam-take", args=[exam.pk])).content.decode()
    assert "Question 1" in html and "Part of the answer" not in html and "Right" not in html
    saved = learner_client.post(reverse("scenarios:exam-answer", args=[exam.pk, 0]), {"q0": ["0"]},
                                headers={"HX-Request": "true"}).content.decode()
    assert "Answer saved" in saved and "<html" not in saved


def test_finishing_scores_by_tip_and_explains_every_option(learner_client, learner, pack):
    exam = exams.start(user=learner, count=4, minutes=40)
    from scenarios import services
    from scenarios.models import Scenario

    right = {}
    for i, (sid, q) in enumerate(exam.items):
        key = services.correct_options(Scenario.objects.get(id=sid), q)
        right[f"q{i}"] = [str(k) for k in key] if i < 2 else ["3"]
    learner_client.post(reverse("scenarios:exam-finish", args=[exam.pk]), right)
    exam.refresh_from_db()
    assert exam.finished and exam.score >= 2
    html = learner_client.get(reverse("scenarios:exam-result", args=[exam.pk])).content.decode()
    assert f"Your score: {exam.score} of 4" in html and "Score by exam tip" in html and "Part of the answer" in html
    assert Answer.objects.filter(user=learner).count() == 4


def test_answers_after_the_timer_are_not_kept(learner, pack):
    exam = exams.start(user=learner, count=2, minutes=1)
    ExamSession.objects.filter(pk=exam.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    exam.refresh_from_db()
    assert not exams.save_answer(exam=exam, index=0, selected=[0])


def test_opening_an_expired_exam_changes_nothing_and_offers_finish(learner_client, learner, pack):
    exam = exams.start(user=learner, count=2, minutes=1)
    ExamSession.objects.filter(pk=exam.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    response = learner_client.get(reverse("scenarios:exam-take", args=[exam.pk]))
    assert "Time is up" in response.content.decode()
    assert learner_client.get(reverse("scenarios:exam-result", args=[exam.pk]))["Location"] == \
        reverse("scenarios:exam-take", args=[exam.pk])
    exam.refresh_from_db()
    assert not exam.finished
    response = learner_client.post(reverse("scenarios:exam-finish", args=[exam.pk]))
    assert response["Location"] == reverse("scenarios:exam-result", args=[exam.pk])
    exam.refresh_from_db()
    assert exam.finished and exam.score == 0


def test_finishing_twice_grades_once(learner_client, learner, pack):
    exam = exams.start(user=learner, count=2)
    exams.save_answer(exam=exam, index=0, selected=[1])
    exams.finish(exam)
    exams.finish(ExamSession.objects.get(pk=exam.pk))
    exams.finish(exam)  # a stale copy, as a second request would hold
    assert Answer.objects.filter(user=learner).count() == 1


def test_nobody_sees_another_learners_exam(client, other_learner, learner, pack):
    exam = exams.start(user=learner, count=2)
    client.force_login(other_learner)
    for name in ("exam-take", "exam-result"):
        assert client.get(reverse(f"scenarios:{name}", args=[exam.pk])).status_code == 404
    assert client.post(reverse("scenarios:exam-finish", args=[exam.pk])).status_code == 404


def test_a_wrong_answer_comes_back_in_the_review_queue(learner_client, learner, example):
    learner_client.post(reverse("scenarios:question", args=[example.slug, 1]), {"option": ["2", "3"]})
    card = ReviewCard.objects.get(user=learner)
    assert card.question == 0 and card.reviews == 1 and card.card["state"] == 1  # FSRS learning
    later = timezone.now() + timedelta(days=1)
    assert list(review.due(learner, now=later)) == [card]
    ReviewCard.objects.filter(pk=card.pk).update(due_at=timezone.now())
    html = learner_client.get(reverse("scenarios:catalog")).content.decode()
    assert "Due for review today" in html


def test_right_answers_space_the_card_out_further_each_time(learner, example):
    now = timezone.now()
    card = review.record(user=learner, scenario=example, question=0, correct=False, now=now)
    gaps = []
    for _ in range(4):
        now = card.due_at
        card = review.record(user=learner, scenario=example, question=0, correct=True, now=now)
        gaps.append(card.due_at - now)
    assert gaps == sorted(gaps) and gaps[-1] > timedelta(days=1) and card.reviews == 5


def test_the_review_page_says_what_is_due_now_and_what_comes_next(learner_client, learner, example):
    review.record(user=learner, scenario=example, question=0, correct=False)
    review.record(user=learner, scenario=example, question=None, correct=False,
                  now=timezone.now() - timedelta(days=2))
    html = learner_client.get(reverse("scenarios:review")).content.decode()
    assert "Due now" in html and "(the scenario)" in html and "?review=1" in html
    assert "Coming up" in html and "question 1" in html


def test_a_due_scenario_opens_from_its_starting_world_with_the_earlier_answer_one_click_away(
        learner_client, learner, example, solution_post):
    learner_client.post(reverse("scenarios:check", args=[example.slug]), solution_post)
    start = learner_client.get(reverse("scenarios:lab", args=[example.slug]) + "?review=1")
    assert "starts again from its starting" in start.content.decode()
    assert start.context["editors"][0]["text"] != solution_post["editor-0"]
    earlier = learner_client.get(reverse("scenarios:lab", args=[example.slug]))
    assert earlier.context["editors"][0]["text"] == solution_post["editor-0"]


def test_a_reviewed_question_comes_back_in_a_new_order(learner_client, pack):
    url = reverse("scenarios:question", args=["grants-nightly-settlement", 1])
    first = [v for v, _ in learner_client.get(url).context["form"].fields["option"].choices]
    rounds = {tuple(v for v, _ in learner_client.get(f"{url}?round={n}").context["form"].fields["option"].choices)
              for n in range(1, 6)}
    assert rounds - {tuple(first)}


def test_a_failed_check_puts_the_scenario_in_review(learner_client, learner, example):
    start = learner_client.get(reverse("scenarios:lab", args=[example.slug])).context["editors"]
    learner_client.post(reverse("scenarios:check", args=[example.slug]),
                        {"editor-0": start[0]["text"], "editor-1": start[1]["text"]})
    assert ReviewCard.objects.get(user=learner).question is None


def test_the_review_page_lists_only_my_due_cards(learner_client, learner, other_learner, example):
    ReviewCard.objects.create(user=other_learner, scenario=example, question=0, due_at=timezone.now())
    assert "Nothing is due" in learner_client.get(reverse("scenarios:review")).content.decode()


def test_a_question_in_a_running_exam_cannot_be_answered_on_its_scenario_page(learner_client, learner, pack):
    exam = exams.start(user=learner, count=3)
    scenario_id, question = exam.items[0]
    from scenarios.models import Scenario

    slug = Scenario.objects.get(pk=scenario_id).slug
    url = reverse("scenarios:question", args=[slug, question + 1])
    assert learner_client.post(url, {"option": "0"}).status_code == 403
    assert not Answer.objects.filter(user=learner).exists()
    exams.finish(exam)
    assert learner_client.post(url, {"option": "0"}).status_code == 200


def test_each_practice_exam_shows_its_own_option_order_and_results_explain_every_option(learner_client, learner,
                                                                                         pack):
    first, second = exams.start(user=learner, count=6), exams.start(user=learner, count=6)
    ExamSession.objects.filter(pk=second.pk).update(items=first.items)
    take = [learner_client.get(reverse("scenarios:exam-take", args=[e.pk])).context["questions"]
            for e in (first, second)]
    assert [q["order"] for q in take[0]] != [q["order"] for q in take[1]]
    learner_client.post(reverse("scenarios:exam-finish", args=[first.pk]))
    html = learner_client.get(reverse("scenarios:exam-result", args=[first.pk])).content.decode()
    whys = [o.get("why") for q in take[0] for o in q["data"]["options"] if o.get("why")]
    assert whys and all(w in html.replace("&#x27;", "'").replace("&quot;", '"') for w in whys[:3])


def test_the_review_screen_lists_unanswered_and_flagged_questions_before_submitting(learner_client, learner, pack):
    exam = exams.start(user=learner, count=4)
    data = {"q0": "1", "seen0": "1", "seen1": "1", "flag1": "1", "seen2": "1", "seen3": "1", "q3": "0", "flag3": "1"}
    response = learner_client.post(reverse("scenarios:exam-review", args=[exam.pk]), data)
    html = response.content.decode()
    assert [q["number"] for q in response.context["unanswered"]] == [2, 3]
    assert [q["number"] for q in response.context["flagged"]] == [2, 4]
    assert "Submit the exam with 2 unanswered" in html
    exam.refresh_from_db()
    assert not exam.finished and exam.flags == [1, 3] and sorted(exam.answers) == ["0", "3"]
    take = learner_client.get(reverse("scenarios:exam-take", args=[exam.pk]))
    assert "2 of 4 answered, 2 flagged for review" in take.content.decode()


def test_results_give_the_percentage_and_the_pass_mark(learner_client, learner, pack, settings):
    settings.EXAM_PASS_MARK = 75
    exam = exams.start(user=learner, count=4)
    learner_client.post(reverse("scenarios:exam-finish", args=[exam.pk]))
    html = learner_client.get(reverse("scenarios:exam-result", args=[exam.pk])).content.decode()
    assert "(0 %)" in html and "The pass mark is 75 %" in html
