"""Timed practice exams: draw questions across tips, keep answers, grade at the end with computed keys."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from . import review, services
from .models import TIP_NAMES, Answer, ExamSession, Scenario

GRACE_SECONDS = 30


def draw(count: int, rng: random.Random | None = None) -> list[list[int]]:
    """Up to `count` questions, taking turns across tips so every tip is represented."""
    rng = rng or random.Random()
    by_tip: dict[str, list[list[int]]] = {}
    for s in Scenario.objects.published().only("id", "tip", "spec"):
        for i, _ in enumerate(s.questions):
            by_tip.setdefault(s.tip, []).append([s.id, i])
    for pool in by_tip.values():
        rng.shuffle(pool)
    tips = sorted(by_tip)
    rng.shuffle(tips)
    out: list[list[int]] = []
    while len(out) < count and any(by_tip.values()):
        for tip in tips:
            if by_tip[tip] and len(out) < count:
                out.append(by_tip[tip].pop())
    return out


def start(*, user, count: int = 20, minutes: int = 40) -> ExamSession:
    return ExamSession.objects.create(user=user, items=draw(count), duration_seconds=minutes * 60)


def expired(exam: ExamSession, now=None) -> bool:
    from datetime import timedelta

    return (now or timezone.now()) > exam.deadline + timedelta(seconds=GRACE_SECONDS)


def running_exam_asks(*, user, scenario_id: int, question: int) -> bool:
    """Whether a practice exam the learner is taking now includes this question (its answer must
    not be one POST away on the scenario's page)."""
    for exam in ExamSession.objects.filter(user=user, finished_at__isnull=True).only("items", "started_at",
                                                                                      "duration_seconds"):
        if [scenario_id, question] in exam.items and not expired(exam):
            return True
    return False


def save_answer(*, exam: ExamSession, index: int, selected: list[int], flagged: bool | None = None) -> bool:
    """Keep one answer (and its flag) while the exam runs; False when it is over (nothing is kept)."""
    return save_answers(exam=exam, answers={index: (selected, flagged)})


def save_answers(*, exam: ExamSession, answers: dict[int, tuple[list[int], bool | None]]) -> bool:
    """Keep answers and flags, {item index: (selected options, flagged or None to leave it)}, while
    the exam runs; False when it is over (nothing is kept). An empty selection is unanswered.

    The exam row is locked while its answers are rewritten, so parallel autosaves of different
    questions all survive (PostgreSQL: the row lock; SQLite: an IMMEDIATE transaction)."""
    with transaction.atomic():
        exam = ExamSession.objects.select_for_update().get(pk=exam.pk)
        if exam.finished or expired(exam) or not all(0 <= i < len(exam.items) for i in answers):
            return False
        flags = set(exam.flags)
        for index, (selected, flagged) in answers.items():
            if selected:
                exam.answers[str(index)] = sorted(selected)
            else:
                exam.answers.pop(str(index), None)
            if flagged is not None:
                flags = flags | {index} if flagged else flags - {index}
        exam.flags = sorted(flags)
        exam.save(update_fields=["answers", "flags"])
    return True


def finish(exam: ExamSession) -> ExamSession:
    """Grade every question with the engine's computed keys; record answers and review cards.

    Exactly once: the exam row is locked and re-read first, so a double click (or two tabs)
    finds it finished and grades nothing again."""
    with transaction.atomic():
        exam = ExamSession.objects.select_for_update().get(pk=exam.pk)
        if exam.finished:
            return exam
        return _grade(exam)


def _grade(exam: ExamSession) -> ExamSession:
    scenarios = {s.id: s for s in Scenario.objects.filter(id__in={i[0] for i in exam.items})}
    results = []
    score = 0
    for index, (scenario_id, question) in enumerate(exam.items):
        scenario = scenarios.get(scenario_id)
        if scenario is None:
            continue
        key = services.correct_options(scenario, question)
        chosen = exam.answers.get(str(index))
        right = chosen is not None and sorted(chosen) == sorted(key)
        score += right
        results.append({"index": index, "scenario": scenario_id, "question": question, "tip": scenario.tip,
                        "key": key, "chosen": chosen, "right": right})
        if chosen is not None:
            Answer.objects.create(user=exam.user, scenario=scenario, question=question, selected=sorted(chosen),
                                  correct=right)
        review.record(user=exam.user, scenario=scenario, question=question, correct=right)
    exam.results = results
    exam.score = score
    exam.finished_at = timezone.now()
    exam.save(update_fields=["results", "score", "finished_at"])
    return exam


def by_tip(exam: ExamSession) -> list[dict]:
    rows: dict[str, list[int]] = {}
    for r in exam.results:
        rows.setdefault(r["tip"], [0, 0])
        rows[r["tip"]][0] += r["right"]
        rows[r["tip"]][1] += 1
    return [{"tip": TIP_NAMES.get(t, t), "right": v[0], "total": v[1]} for t, v in sorted(rows.items())]
