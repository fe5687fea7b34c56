"""Thin views: an access helper, one call into grading/services, then render.

htmx requests get a named partial of the same page template (`page.html#partial`); every page
also works as a plain form post without JavaScript.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from kmstrainer.accounts import is_instructor
from kmstrainer.engine import EditKind, lint_policy_text, policy_completions

from . import exams, hints, services
from .forms import AnswerForm, GrantForm, PlaygroundForm
from .models import Answer, Attempt, Progress, Scenario
from .playground_examples import EXAMPLES
from .drafts import Draft
from .solutions import solution_parts
from .specs import engine_scenario

STATUS_FILTERS = [("", "Any status"), ("new", "New"), ("attempted", "Attempted"), ("solved", "Solved")]


def _get_published_scenario(request: HttpRequest, slug: str) -> Scenario:
    """A published scenario, or 404; instructors may open drafts (to preview them as a learner)."""
    scenario = get_object_or_404(Scenario, slug=slug)
    if not (scenario.published and scenario.valid) and not is_instructor(request.user):
        raise Http404("No such scenario")
    return scenario


def _partial(request: HttpRequest, template: str, name: str) -> str:
    return f"{template}#{name}" if request.htmx else template


# -- public -------------------------------------------------------------------------------------


@require_GET
@cache_control(max_age=3600, public=True)
def editor_completions(request: HttpRequest) -> JsonResponse:
    """What the policy editors offer to complete (KMS actions, condition keys, operators), fetched
    once by the editor bundle."""
    return JsonResponse({"completions": [c.as_dict() for c in policy_completions()]})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return redirect(static("favicon.svg"), permanent=True)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("scenarios:catalog")
    return render(request, "home.html", {"scenario_count": Scenario.objects.published().count()})


# -- catalog and progress -----------------------------------------------------------------------


@login_required
@require_GET
@vary_on_headers("HX-Request")
def catalog(request: HttpRequest) -> HttpResponse:
    tip = request.GET.get("tip", "")
    status = request.GET.get("status", "")
    context = services.catalog(request.user, tip=tip, status=status)
    context.update(tip=tip, status=status, status_filters=STATUS_FILTERS)
    return render(request, _partial(request, "scenarios/catalog.html", "catalog-list"), context)


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    recent = Attempt.objects.for_user(request.user).select_related("scenario")[:15]
    answers = Answer.objects.filter(user=request.user)
    context = {
        **services.progress_overview(request.user),
        "recent": recent,
        "attempt_count": Attempt.objects.for_user(request.user).count(),
        "answer_count": answers.count(),
        "right_count": answers.filter(correct=True).count(),
        "last": recent[0].created_at if recent else None,
    }
    return render(request, "scenarios/progress.html", context)


# -- the lab ------------------------------------------------------------------------------------


def _editor_views(draft: Draft, grant_forms: dict | None = None) -> list[dict]:
    """What the lab template shows of each editor: its id, label and kind, and its text, grants
    (with the form that adds one) or state."""
    views = []
    for editor, value in draft.items():
        view = {"id": editor.id, "label": editor.label, "kind": editor.kind.value}
        if editor.kind.is_policy:
            view["text"] = draft.text(editor)
        elif editor.kind == EditKind.GRANTS:
            view["grants"] = value
            view["form"] = (grant_forms or {}).get(editor.id) or GrantForm(operations=editor.grant_operations)
        else:
            view["state"] = value
        views.append(view)
    return views


def _lab_context(request, scenario: Scenario, progress: Progress | None, draft: Draft, *, outcome=None,
                 grant_forms=None, start_over: bool = False) -> dict:
    """`start_over`: a review opens the scenario from its starting world (the draft stays as it was)."""
    editors = _editor_views(draft, grant_forms)
    attempts = progress.attempts if progress else 0
    solved = bool(progress and progress.status == Progress.SOLVED)
    rungs = progress.hints_open if progress else 0
    return {
        "rungs_open": rungs, "solution_rung": hints.SOLUTION_RUNG,
        "hints": hints.ladder(scenario, rungs, draft, outcome.grade if outcome else None, checked=attempts > 0),
        "next_scenario": services.next_scenario(request.user, scenario) if solved else None,
        "scenario": scenario, "world": scenario.spec.get("world") or {}, "editors": editors,
        "progress": progress, "outcome": outcome, "grade": outcome.grade if outcome else None,
        "solved": solved,
        "can_see_solution": solved or attempts >= settings.SOLUTION_AFTER_ATTEMPTS or rungs >= hints.SOLUTION_RUNG,
        "attempts_left": max(settings.SOLUTION_AFTER_ATTEMPTS - attempts, 0),
        "questions": list(enumerate(scenario.questions)), "start_over": start_over,
    }


@login_required
@require_GET
def lab(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    progress = Progress.objects.filter(user=request.user, scenario=scenario).first()
    start_over = request.GET.get("review") == "1" and bool(progress and progress.draft)
    draft = Draft.of(scenario, None if start_over or not progress else progress.draft)
    context = _lab_context(request, scenario, progress, draft, start_over=start_over)
    return render(request, "scenarios/lab.html", context)


@login_required
@require_POST
def check(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    for name, value in request.POST.items():
        if len(value) > settings.MAX_EDITOR_BYTES:
            messages.error(request, f"`{name}` is over {settings.MAX_EDITOR_BYTES:,} characters; nothing was graded.")
            return redirect("scenarios:lab", slug=slug)
    progress = Progress.objects.filter(user=request.user, scenario=scenario).first()
    draft = Draft.of(scenario, progress.draft if progress else None, request.POST)
    outcome = services.submit_check(user=request.user, scenario=scenario, draft=draft)
    context = _lab_context(request, scenario, outcome.progress, draft, outcome=outcome)
    context["oob"] = bool(request.htmx)  # the Solved badge and the solution link change with this Check
    status = 422 if outcome.grade.errors else 200  # nothing graded: the editors' errors say where
    return render(request, _partial(request, "scenarios/lab.html", "result-panel"), context, status=status)


@login_required
@require_POST
def reset(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    services.reset_draft(user=request.user, scenario=scenario)
    messages.info(request, "Back to the starting policies and grants.")
    url = reverse("scenarios:lab", args=[slug])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_POST
def hint(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the next rung of the hint ladder (the third opens the solution)."""
    scenario = _get_published_scenario(request, slug)
    progress = services.open_hint(user=request.user, scenario=scenario)
    if not request.htmx:
        return redirect(reverse("scenarios:lab", args=[slug]) + "#hints")
    context = _lab_context(request, scenario, progress, Draft.of(scenario, progress.draft))
    context["oob"] = True  # the solution link may have opened
    return render(request, "scenarios/lab.html#hint-ladder", context)


@login_required
@require_GET
def check_trace(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Every statement and grant behind one check of the learner's last Check, loaded on demand."""
    scenario = _get_published_scenario(request, slug)
    grade = services.grade_draft(user=request.user, scenario=scenario)
    if not grade.graded or not 1 <= number <= len(grade.checks):
        raise Http404("No such check")
    check = grade.checks[number - 1]
    if check.hidden and not grade.solved:
        raise Http404("Hidden checks are revealed once the scenario is solved")
    context = {"scenario": scenario, "check": check, "number": number}
    return render(request, _partial(request, "scenarios/trace.html", "trace-body"), context)


@login_required
@require_GET
def solution(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    progress = Progress.objects.filter(user=request.user, scenario=scenario).first()
    context = _lab_context(request, scenario, progress, Draft.of(scenario, progress.draft if progress else None))
    if not context["can_see_solution"]:
        raise PermissionDenied("The solution opens after you solve the scenario or make "
                               f"{settings.SOLUTION_AFTER_ATTEMPTS} attempts.")
    return render(request, "scenarios/solution.html", {**context, "parts": solution_parts(scenario, request.user)})


@login_required
@require_POST
def lint(request: HttpRequest, slug: str, target: str) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    editor = next((e for e in engine_scenario(scenario).editors() if e.id == target), None)
    if editor is None:
        raise Http404("No such editor")
    text = request.POST.get(target, "")[: settings.MAX_EDITOR_BYTES]
    layer = editor.kind.lint_layer
    findings = lint_policy_text(text, kind=layer.value) if layer and text.strip() else []
    context = {"target": target, "findings": findings,
               "findings_json": json.dumps([f.as_dict() for f in findings])}
    unreadable = any(f.code.startswith("input.") for f in findings)
    return render(request, "scenarios/lab.html#findings", context, status=422 if unreadable else 200)


# -- grants -------------------------------------------------------------------------------------


def _draft_grant(request, scenario: Scenario, target: str, index: int | None):
    """(the grants editor, the learner's draft, their Progress); 404 for an unknown editor or grant."""
    progress = Progress.objects.filter(user=request.user, scenario=scenario).first()
    draft = Draft.of(scenario, progress.draft if progress else None)
    try:
        editor = draft.editor(target, EditKind.GRANTS)
    except LookupError:
        raise Http404("No such grants editor") from None
    if index is not None and not 0 <= index < len(draft.value(editor)):
        raise Http404("No such grant")
    return editor, draft, progress


def _grants_response(request, scenario, target_id, grant_forms=None) -> HttpResponse:
    progress = Progress.objects.filter(user=request.user, scenario=scenario).first()
    draft = Draft.of(scenario, progress.draft if progress else None)
    context = _lab_context(request, scenario, progress, draft, grant_forms=grant_forms)
    if not request.htmx:
        return render(request, "scenarios/lab.html", context)
    editor = next(e for e in context["editors"] if e["id"] == target_id)
    return render(request, "scenarios/lab.html#grants-editor", {**context, "editor": editor})


@login_required
@require_POST
def grant_save(request: HttpRequest, slug: str, target: str, index: int | None = None) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    editor, _, _ = _draft_grant(request, scenario, target, index)
    form = GrantForm(request.POST, operations=editor.grant_operations)
    if not form.is_valid():
        return _grants_response(request, scenario, target, grant_forms={target: form})
    services.save_grant(user=request.user, scenario=scenario, editor=editor, index=index, grant=form.grant())
    if not request.htmx:
        messages.success(request, "Grant saved. Press Check to see what it changes.")
        return redirect("scenarios:lab", slug=slug)
    return _grants_response(request, scenario, target)


@login_required
@require_GET
def grant_edit(request: HttpRequest, slug: str, target: str, index: int) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    editor, draft, progress = _draft_grant(request, scenario, target, index)
    form = GrantForm(initial=GrantForm.initial_from(draft.value(editor)[index]), operations=editor.grant_operations)
    context = _lab_context(request, scenario, progress, draft, grant_forms={target: form})
    editor = next(e for e in context["editors"] if e["id"] == target)
    template = "scenarios/lab.html#grants-editor" if request.htmx else "scenarios/lab.html"
    return render(request, template, {**context, "editor": editor, "editing": index})


@login_required
@require_POST
def grant_remove(request: HttpRequest, slug: str, target: str, index: int) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    editor, _, _ = _draft_grant(request, scenario, target, index)
    services.remove_grant(user=request.user, scenario=scenario, editor=editor, index=index)
    if not request.htmx:
        return redirect("scenarios:lab", slug=slug)
    return _grants_response(request, scenario, target)


# -- questions ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    scenario = _get_published_scenario(request, slug)
    if not 1 <= number <= len(scenario.questions):
        raise Http404("No such question")
    data = scenario.questions[number - 1]
    review_round = request.GET.get("round", "")[:12]  # a review asks again in a new order
    order = services.option_order(user_id=request.user.id, scenario_id=scenario.id, question=number - 1,
                                  count=len(data.get("options") or []),
                                  salt=f"review-{review_round}" if review_round else "")
    form = AnswerForm(request.POST or None, question=data, order=order)
    context = {"scenario": scenario, "question": data, "number": number, "form": form,
               "total": len(scenario.questions)}
    if request.method == "POST" and exams.running_exam_asks(user=request.user, scenario_id=scenario.id,
                                                             question=number - 1):
        raise PermissionDenied("This question is in the practice exam you are taking: answer it there.")
    if request.method == "POST" and form.is_valid():
        answer = services.answer_question(user=request.user, scenario=scenario, index=number - 1,
                                          selected=form.cleaned_data["option"])
        correct = services.correct_options(scenario, number - 1)
        verdicts = services.option_verdicts(scenario, number - 1)
        for i, v in enumerate(verdicts):
            v["correct"] = i in correct
            v["chosen"] = i in answer.selected
            v["why_author"] = (data["options"][i].get("why") or "")
        shown = [verdicts[i] for i in order]
        for pos, v in enumerate(shown):
            v["letter"] = chr(65 + pos)
        context.update(answer=answer, verdicts=shown)
    return render(request, _partial(request, "scenarios/question.html", "answer-panel"), context)


# -- playground ---------------------------------------------------------------------------------


@login_required
@require_POST
def playground_access(request: HttpRequest) -> HttpResponse:
    """Who can use the keys of the playground's world: the matrix of principals x operations."""
    form = PlaygroundForm(request.POST)
    world = request.POST.get("world", "")
    tables, error = services.playground_access(world, request.POST.get("class", "")) if world.strip() else \
        ([], "World: write a world first (keys, principals, policies).")
    context = {"form": form, "tables": tables, "access_error": error, "access_class": request.POST.get("class", ""),
               "classes": services.ACCESS_CLASSES}
    return render(request, _partial(request, "scenarios/playground.html", "access-matrix"), context,
                  status=422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def playground(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("example", "")
    _, world, request_text = EXAMPLES.get(chosen) or EXAMPLES["cross-account"]
    form = PlaygroundForm(request.POST or None, initial={"world": world, "request": request_text})
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.evaluate_playground(form.cleaned_data["world"], form.cleaned_data["request"])
    status = 422 if (result and result.error) or form.errors else 200
    return render(request, _partial(request, "scenarios/playground.html", "playground-result"),
                  {"form": form, "result": result, "classes": services.ACCESS_CLASSES,
                   "examples": EXAMPLES, "example": chosen}, status=status)
