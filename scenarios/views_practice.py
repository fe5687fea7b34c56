"""Practice views: timed exams and the spaced-review queue."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import exams, review, services
from .models import ExamSession, Scenario


class ExamForm(forms.Form):
    count = forms.IntegerField(min_value=1, max_value=75, initial=20, label="Questions")
    minutes = forms.IntegerField(min_value=1, max_value=180, initial=40, label="Minutes")


def _own_exam(request: HttpRequest, pk: int) -> ExamSession:
    return get_object_or_404(ExamSession, pk=pk, user=request.user)


def _selected(data, index: int) -> list[int]:
    out = []
    for value in data.getlist(f"q{index}"):
        try:
            out.append(int(value))
        except ValueError:
            continue
    return out


@login_required
@require_GET
def exam_home(request: HttpRequest) -> HttpResponse:
    history = ExamSession.objects.filter(user=request.user)[:20]
    return render(request, "scenarios/exam_home.html", {"form": ExamForm(), "history": history})


@login_required
@require_POST
def exam_start(request: HttpRequest) -> HttpResponse:
    form = ExamForm(request.POST)
    if not form.is_valid():
        history = ExamSession.objects.filter(user=request.user)[:20]
        return render(request, "scenarios/exam_home.html", {"form": form, "history": history})
    exam = exams.start(user=request.user, count=form.cleaned_data["count"], minutes=form.cleaned_data["minutes"])
    return redirect("scenarios:exam-take", pk=exam.pk)


def _exam_questions(exam: ExamSession) -> list[dict]:
    scenarios = {s.id: s for s in Scenario.objects.filter(id__in={i[0] for i in exam.items})}
    out = []
    for index, (scenario_id, question) in enumerate(exam.items):
        scenario = scenarios.get(scenario_id)
        if scenario is None or question >= len(scenario.questions):
            continue
        data = scenario.questions[question]
        order = services.option_order(user_id=exam.user_id, scenario_id=scenario_id, question=question,
                                      count=len(data.get("options") or []), salt=f"exam-{exam.pk}")
        options = [{"index": i, "letter": chr(65 + pos), "text": data["options"][i]["text"],
                    "why": data["options"][i].get("why") or ""} for pos, i in enumerate(order)]
        out.append({"index": index, "number": len(out) + 1, "scenario": scenario, "question": question,
                    "data": data, "order": order, "options": options, "choose": int(data.get("choose", 1)),
                    "chosen": exam.answers.get(str(index), []), "flagged": index in exam.flags})
    return out


@login_required
@require_GET
def exam_take(request: HttpRequest, pk: int) -> HttpResponse:
    exam = _own_exam(request, pk)
    if exam.finished:
        return redirect("scenarios:exam-result", pk=exam.pk)
    # GET changes nothing: when time is up the page says so and offers Finish (a POST)
    return render(request, "scenarios/exam_take.html", _exam_overview(exam))


def _exam_overview(exam: ExamSession) -> dict:
    """The exam's questions with what the navigator and the review screen say about them."""
    questions = _exam_questions(exam)
    unanswered = [q for q in questions if not q["chosen"]]
    flagged = [q for q in questions if q["flagged"]]
    return {"exam": exam, "questions": questions, "time_up": exams.expired(exam), "unanswered": unanswered,
            "flagged": flagged, "answered": len(questions) - len(unanswered)}


@login_required
@require_POST
def exam_answer(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    exam = _own_exam(request, pk)
    saved = exams.save_answer(exam=exam, index=index, selected=_selected(request.POST, index),
                              flagged=f"flag{index}" in request.POST)
    return render(request, "scenarios/exam_take.html#saved", {"saved": saved, "index": index})


def _save_posted(exam: ExamSession, data) -> None:
    """Every answer and flag the exam form posts (the no-JavaScript path; autosave does the same)."""
    posted = {index: (_selected(data, index), f"flag{index}" in data) for index in range(len(exam.items))
              if f"q{index}" in data or f"flag{index}" in data or f"seen{index}" in data}
    if posted:
        exams.save_answers(exam=exam, answers=posted)  # one locked write for the whole form


@login_required
@require_POST
def exam_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Before submitting, as in the real exam: which questions are unanswered or flagged."""
    exam = _own_exam(request, pk)
    if exam.finished:
        return redirect("scenarios:exam-result", pk=exam.pk)
    _save_posted(exam, request.POST)
    exam.refresh_from_db()
    return render(request, "scenarios/exam_review.html", _exam_overview(exam))


@login_required
@require_POST
def exam_finish(request: HttpRequest, pk: int) -> HttpResponse:
    exam = _own_exam(request, pk)
    _save_posted(exam, request.POST)
    exams.finish(exam)
    return redirect("scenarios:exam-result", pk=exam.pk)


@login_required
@require_GET
def exam_result(request: HttpRequest, pk: int) -> HttpResponse:
    exam = _own_exam(request, pk)
    if not exam.finished:
        return redirect("scenarios:exam-take", pk=exam.pk)
    questions = _exam_questions(exam)
    results = {r["index"]: r for r in exam.results}
    for q in questions:
        q["result"] = results.get(q["index"], {})
        verdicts = services.option_verdicts(q["scenario"], q["question"])
        for option in q["options"]:
            option["verdict"] = verdicts[option["index"]]
    return render(request, "scenarios/exam_result.html", {"exam": exam, "questions": questions,
                                                          "by_tip": exams.by_tip(exam),
                                                          "pass_mark": settings.EXAM_PASS_MARK})


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "scenarios/review.html", {"cards": review.due(request.user),
                                                     "upcoming": review.upcoming(request.user)})
