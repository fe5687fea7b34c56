"""Writes: drafts, Check attempts, answers. Each function is keyword-only and atomic."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kmstrainer.engine import (
    Editor, EngineInputError, Simulator, access_matrix, describe_outcome, explain, load_text, parse_requests, parse_world_document,
    question_key, run_checks, trace_dicts,
)

from . import grading, review
from .hints import SOLUTION_RUNG
from .models import (SUGGESTED_PATH, TIP_NAMES, TIPS, Answer, Attempt, ExamSession, Progress, Scenario, progress_by_tip,
                     tip_rank)
from .drafts import Draft
from .specs import engine_scenario



# -- drafts -------------------------------------------------------------------------------------


def catalog(user, *, tip: str = "", status: str = "") -> dict:
    """The catalog for `user`: published scenarios grouped by exam tip with solved counts, filtered by
    tip and status (the counts and the tip list always cover every scenario)."""
    rows = list(Scenario.objects.for_catalog(user))
    for row in rows:
        row.status = row.my_status or Progress.NEW
    counts = {t: {"total": 0, "solved": 0} for t, _ in TIPS}
    for row in rows:
        counts[row.tip]["total"] += 1
        counts[row.tip]["solved"] += row.status == Progress.SOLVED
    shown = [r for r in rows if (not tip or r.tip == tip) and (not status or r.status == status)]
    groups = [{"tip": t, "name": TIP_NAMES[t], "scenarios": [r for r in shown if r.tip == t], **counts[t]}
              for t in SUGGESTED_PATH if counts[t]["total"]]
    return {"groups": [g for g in groups if g["scenarios"]], "tips": groups,
            "due": list(review.due(user)[:5]), "total": len(rows),
            "solved": sum(r.status == Progress.SOLVED for r in rows)}


READINESS_WEIGHTS = {"labs": 0.5, "questions": 0.25, "exams": 0.25}


def progress_overview(user) -> dict:
    """Per tip: labs solved, question and exam accuracy, and a readiness figure (the weighted mean of
    the parts the learner has data for, weights READINESS_WEIGHTS); plus the recent exams."""
    rows = progress_by_tip(user)
    questions: dict[str, list[int]] = {}
    for tip, correct in Answer.objects.filter(user=user).values_list("scenario__tip", "correct"):
        questions.setdefault(tip, [0, 0])[0] += correct
        questions[tip][1] += 1
    exams_done = list(ExamSession.objects.filter(user=user, finished_at__isnull=False).order_by("-finished_at")[:10])
    exam_tips: dict[str, list[int]] = {}
    for exam in exams_done:
        for result in exam.results:
            exam_tips.setdefault(result["tip"], [0, 0])[0] += bool(result["right"])
            exam_tips[result["tip"]][1] += 1
    for row in rows:
        parts = {"labs": row["solved"] / row["total"] if row["total"] else None}
        for name, source in (("questions", questions), ("exams", exam_tips)):
            right, total = source.get(row["tip"], (0, 0))
            row[name] = f"{right} of {total}" if total else "none yet"
            parts[name] = right / total if total else None
        known = {k: v for k, v in parts.items() if v is not None}
        weight = sum(READINESS_WEIGHTS[k] for k in known)
        row["readiness"] = round(100 * sum(READINESS_WEIGHTS[k] * v for k, v in known.items()) / weight) if weight else 0
    recent = [{"when": e.finished_at, "percent": e.percent, "x": 10 + i * 34, "y": 110 - e.percent}
              for i, e in enumerate(reversed(exams_done))]  # bars in a 360 x 120 chart, 1 px per percent
    return {"by_tip": rows, "recent_exams": recent, "weights": READINESS_WEIGHTS,
            "pass_line": 110 - settings.EXAM_PASS_MARK}


def progress_for(user, scenario: Scenario) -> Progress:
    progress, _ = Progress.objects.get_or_create(user=user, scenario=scenario)
    return progress


# -- Check --------------------------------------------------------------------------------------


@dataclass
class CheckOutcome:
    attempt: Attempt
    grade: grading.Grade
    progress: Progress
    newly_solved: bool


def submit_check(*, user, scenario: Scenario, draft: Draft) -> CheckOutcome:
    """Grade the learner's draft, keep it, and record the attempt.

    Grading runs outside the write transaction, so the database lock is held only for the two
    writes (SQLite serialises writers)."""
    grade = grading.grade(draft)
    summary = grading.as_summary(grade)
    stored = draft.stored()
    with transaction.atomic():
        progress = Progress.objects.select_for_update().get_or_create(user=user, scenario=scenario)[0]
        progress.draft = stored
        progress.attempts += 1
        newly_solved = grade.solved and progress.status != Progress.SOLVED
        if grade.solved:
            progress.status = Progress.SOLVED
            progress.solved_at = progress.solved_at or timezone.now()
        elif progress.status == Progress.NEW:
            progress.status = Progress.ATTEMPTED
        progress.save()
        attempt = Attempt.objects.create(
            user=user, scenario=scenario, edits=list(stored.values()), passed=grade.solved,
            visible_passed=summary["visible_passed"], visible_total=summary["visible_total"],
            hidden_passed=summary["hidden_passed"], hidden_total=summary["hidden_total"],
            failed_checks=summary["failed"], review=summary["review"],
            error="\n".join(e.message for e in grade.errors),
        )
        if grade.graded:
            review.record(user=user, scenario=scenario, question=None, correct=grade.solved)
    return CheckOutcome(attempt, grade, progress, newly_solved)


def grade_draft(*, user, scenario: Scenario) -> grading.Grade:
    """Grade the learner's saved draft again (the trace of a past Check, on demand)."""
    stored = Progress.objects.filter(user=user, scenario=scenario).values_list("draft", flat=True).first()
    return grading.grade(Draft.of(scenario, stored))


@transaction.atomic
def open_hint(*, user, scenario: Scenario) -> Progress:
    """Open the next rung of the learner's hint ladder (at most the solution's)."""
    progress = Progress.objects.select_for_update().get_or_create(user=user, scenario=scenario)[0]
    if progress.hints_open < SOLUTION_RUNG:
        progress.hints_open += 1
        progress.save(update_fields=["hints_open", "updated_at"])
    return progress


def next_scenario(user, scenario: Scenario) -> Scenario | None:
    """What to do after solving: the next unsolved scenario of the same tip, easiest first, else the
    easiest unsolved scenario of the suggested path (the basics first)."""
    solved = Progress.objects.filter(user=user, status=Progress.SOLVED).values_list("scenario_id", flat=True)
    open_ = (Scenario.objects.published().exclude(pk=scenario.pk).exclude(pk__in=solved)
             .only("slug", "title", "tip", "difficulty"))  # not the specs: this runs on every solved lab page
    same_tip = open_.filter(tip=scenario.tip).order_by("difficulty", "title").first()
    if same_tip is not None:
        return same_tip
    return min(open_.order_by("difficulty", "title"), key=lambda s: (tip_rank(s.tip), s.difficulty), default=None)


@transaction.atomic
def reset_draft(*, user, scenario: Scenario) -> None:
    Progress.objects.filter(user=user, scenario=scenario).update(draft={})


# -- grants -------------------------------------------------------------------------------------


@transaction.atomic
def save_grant(*, user, scenario: Scenario, editor: Editor, index: int | None, grant: dict, data=None) -> list[dict]:
    """Add (index None) or replace a grant in the learner's draft, keeping the policy text the form
    carries; returns the grants."""
    progress = Progress.objects.select_for_update().get_or_create(user=user, scenario=scenario)[0]
    draft = Draft.of(scenario, progress.draft, data or {})
    grants = list(draft.value(editor))
    if index is None:
        grant.setdefault("id", _new_grant_id(grants))
        grants.append(grant)
    else:
        grant["id"] = grants[index].get("id") or _new_grant_id(grants)
        grants[index] = grant
    progress.draft = draft.with_value(editor, grants).stored()
    if progress.status == Progress.NEW:
        progress.status = Progress.ATTEMPTED
    progress.save()
    return grants


@transaction.atomic
def remove_grant(*, user, scenario: Scenario, editor: Editor, index: int, data=None) -> list[dict]:
    progress = Progress.objects.select_for_update().get_or_create(user=user, scenario=scenario)[0]
    draft = Draft.of(scenario, progress.draft, data or {})
    grants = [g for i, g in enumerate(draft.value(editor)) if i != index]
    progress.draft = draft.with_value(editor, grants).stored()
    progress.save()
    return grants


def _new_grant_id(grants: list[dict]) -> str:
    taken = {g.get("id") for g in grants}
    n = len(grants) + 1
    while f"g-mine-{n}" in taken:
        n += 1
    return f"g-mine-{n}"


# -- questions ------------------------------------------------------------------------------------


def correct_options(scenario: Scenario, index: int) -> list[int]:
    """The engine's answer key for question `index` (stored at load; computed if missing)."""
    keys = scenario.question_keys or []
    if index < len(keys) and keys[index]:
        return list(keys[index])
    engine = engine_scenario(scenario)
    combos = question_key(engine, engine.questions[index]).correct
    return list(combos[0]) if len(combos) == 1 else []


def option_order(*, user_id: int, scenario_id: int, question: int, count: int, salt: str = "") -> list[int]:
    """The order a learner sees a question's options in: shuffled, stable for the learner and
    question (and, with `salt`, per practice exam), so an option's position means nothing."""
    order = list(range(count))
    random.Random(f"{user_id}:{scenario_id}:{question}:{salt}").shuffle(order)
    return order


def option_verdicts(scenario: Scenario, index: int) -> list[dict]:
    """For each option: what the engine says happens to the question's checks with its edits alone."""
    engine = engine_scenario(scenario)
    question = engine.questions[index]
    checks = question.checks if question.checks is not None else engine.checks
    if question.author_answer is not None:  # a concept question: the author's key and "why", nothing to run
        return [{"text": text, "changes_nothing": False, "concept": True, "checks": []}
                for text, _ in question.options]
    verdicts = []
    for text, edits in question.options:
        try:
            outcomes = run_checks(engine, edits, checks)
        except EngineInputError as exc:
            verdicts.append({"text": text, "changes_nothing": False, "invalid": exc.message, "checks": []})
            continue
        verdicts.append({
            "text": text,
            "changes_nothing": not edits,
            "checks": [{"name": o.check.name, "passed": o.passed, "actual": describe_outcome(o.last.result),
                        "expect": o.last.step.expect,
                        "why": explain(o.last.result.reasons[0]) if o.last.result.reasons else o.last.result.message}
                       for o in outcomes],
        })
    return verdicts


@transaction.atomic
def answer_question(*, user, scenario: Scenario, index: int, selected: list[int]) -> Answer:
    correct = sorted(selected) == sorted(correct_options(scenario, index))
    with transaction.atomic():
        review.record(user=user, scenario=scenario, question=index, correct=correct)
        return Answer.objects.create(user=user, scenario=scenario, question=index, selected=sorted(selected),
                                     correct=correct)



# -- playground -----------------------------------------------------------------------------------


@dataclass
class PlaygroundResult:
    results: list[dict]
    error: str = ""
    error_field: str = ""


ACCESS_CLASSES = ("escalation", "data", "read")


@dataclass
class AccessTable:
    key: str
    actions: list[str]
    rows: list[tuple[str, list]]  # principal -> one AccessCell per action


def playground_access(world_text: str, cls: str = "") -> tuple[list[AccessTable], str]:
    """Who can use each key of a free-form world: principals x operations, allowed or denied and by
    what, limited to one class of operation when `cls` names one; or the error that stopped it."""
    try:
        world = parse_world_document(*load_text(world_text, file="world"))
    except EngineInputError as exc:
        return [], str(exc)
    tables: dict[str, AccessTable] = {}
    for cell in access_matrix(world):
        if cls in ACCESS_CLASSES and cell.cls != cls:
            continue
        table = tables.setdefault(cell.key, AccessTable(cell.key, [], []))
        if f"kms:{cell.action}" not in table.actions:
            table.actions.append(f"kms:{cell.action}")
        if not table.rows or table.rows[-1][0] != cell.principal:
            table.rows.append((cell.principal, []))
        table.rows[-1][1].append(cell)
    return list(tables.values()), ""


def evaluate_playground(world_text: str, request_text: str) -> PlaygroundResult:
    """Run free-form request(s) against a free-form world, with the full explanation."""
    try:
        world = parse_world_document(*load_text(world_text, file="world"))
    except EngineInputError as exc:
        return PlaygroundResult([], str(exc), "world")
    try:
        requests = parse_requests(*load_text(request_text, file="request"))
    except EngineInputError as exc:
        return PlaygroundResult([], str(exc), "request")
    sim = Simulator(world)
    out = []
    for r in requests:
        result = sim.run(r)
        out.append({
            "outcome": describe_outcome(result), "ok": result.ok, "message": result.message,
            "action": f"kms:{result.action}", "principal": result.principal, "key": result.key,
            "reasons": [dict(r.as_dict(), text=explain(r)) for r in result.reasons],
            "trace": trace_dicts(result.trace), "output": json.dumps(result.output, indent=2) if result.output else "",
        })
    return PlaygroundResult(out)
