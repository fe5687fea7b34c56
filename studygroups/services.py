"""Study groups: joining, assignments, the instructor's dashboard and the leaderboard."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from scenarios.models import TIP_NAMES, Answer, Attempt, Progress, Scenario, tip_rank

from .models import Assignment, AssignmentItem, Membership, StudyGroup

SOLVED, ATTEMPTED, NOT_STARTED = "solved", "attempted", "not started"


@transaction.atomic
def create_group(*, user, name: str) -> StudyGroup:
    group = StudyGroup.objects.create(name=name, created_by=user)
    Membership.objects.create(group=group, user=user, role=Membership.INSTRUCTOR)
    return group


def join_group(*, user, code: str) -> tuple[StudyGroup | None, bool]:
    """(group, newly joined); (None, False) when no group has that code."""
    group = StudyGroup.objects.with_code(code).first()
    if group is None:
        return None, False
    try:
        with transaction.atomic():
            Membership.objects.create(group=group, user=user, role=Membership.LEARNER)
    except IntegrityError:
        return group, False
    return group, True


@transaction.atomic
def create_assignment(*, group: StudyGroup, title: str, due_at, items: list[tuple[int, int | None]]) -> Assignment:
    assignment = Assignment.objects.create(group=group, title=title, due_at=due_at)
    AssignmentItem.objects.bulk_create([
        AssignmentItem(assignment=assignment, scenario_id=scenario_id, question=question, position=i)
        for i, (scenario_id, question) in enumerate(items)
    ])
    return assignment


def item_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every published scenario and each of its questions, as form choices `scenario:question`,
    grouped by exam tip in the suggested path's order (the basics first)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for s in Scenario.objects.published().only("id", "title", "tip", "spec").order_by("difficulty", "title"):
        options = groups.setdefault(s.tip, [])
        if s.editable:
            options.append((f"{s.id}:", f"Solve: {s.title}"))
        for i, _ in enumerate(s.questions):
            options.append((f"{s.id}:{i}", f"Answer: {s.title}, question {i + 1}"))
    ranked = sorted(groups, key=tip_rank)
    return [(TIP_NAMES.get(tip, tip), groups[tip]) for tip in ranked if groups[tip]]


@dataclass
class ItemStats:
    item: AssignmentItem
    solved: int = 0
    attempted: int = 0
    attempts: int = 0
    failed_checks: list[tuple[str, int]] = field(default_factory=list)
    over_grants: list[tuple[str, int]] = field(default_factory=list)  # "role/X kms:Y" left most often
    wrong_options: list[tuple[str, int]] = field(default_factory=list)

    def solve_rate(self, members: int) -> int:
        return round(100 * self.solved / members) if members else 0


@dataclass
class Dashboard:
    group: StudyGroup
    learners: list
    items: list[AssignmentItem]
    matrix: list[tuple[object, list[str]]]
    stats: list[ItemStats]

    def chart(self) -> list[dict]:
        """Bars for an SVG chart: solve rate per item."""
        n = len(self.learners)
        return [{"label": s.item.label, "rate": s.solve_rate(n), "y": 10 + i * 26} for i, s in enumerate(self.stats)]

    @property
    def chart_height(self) -> int:
        return 20 + 26 * len(self.stats)


def dashboard(group: StudyGroup) -> Dashboard:
    """Progress of every learner on every assigned item, and per-item statistics (a fixed number of queries)."""
    learners = [m.user for m in group.memberships.filter(role=Membership.LEARNER).select_related("user")]
    items = list(AssignmentItem.objects.filter(assignment__group=group).select_related("scenario", "assignment")
                 .order_by("assignment__created_at", "position"))
    user_ids = [u.id for u in learners]
    scenario_ids = {i.scenario_id for i in items}
    progress = {(p.user_id, p.scenario_id): p.status for p in
                Progress.objects.filter(user_id__in=user_ids, scenario_id__in=scenario_ids)}
    answers: dict[tuple, str] = {}
    wrong: dict[tuple, Counter] = {}
    for a in Answer.objects.filter(user_id__in=user_ids, scenario_id__in=scenario_ids).order_by("created_at"):
        key = (a.user_id, a.scenario_id, a.question)
        answers[key] = SOLVED if a.correct or answers.get(key) == SOLVED else ATTEMPTED
        if not a.correct:
            wrong.setdefault((a.scenario_id, a.question), Counter())["+".join(chr(65 + i) for i in a.selected)] += 1
    attempts: Counter = Counter()
    failed: dict[int, Counter] = {}
    over: dict[int, Counter] = {}
    for scenario_id, checks, review in Attempt.objects.filter(user_id__in=user_ids, scenario_id__in=scenario_ids) \
            .values_list("scenario_id", "failed_checks", "review"):
        attempts[scenario_id] += 1
        failed.setdefault(scenario_id, Counter()).update(checks or [])
        over.setdefault(scenario_id, Counter()).update(
            f"{g['principal'].split(':')[-1]} {g['action']}" for g in (review or {}).get("over", [])
            if g.get("class") != "read")

    def status(user, item) -> str:
        if item.question is None:
            value = progress.get((user.id, item.scenario_id), "new")
            return {"solved": SOLVED, "attempted": ATTEMPTED}.get(value, NOT_STARTED)
        return answers.get((user.id, item.scenario_id, item.question), NOT_STARTED)

    matrix = [(u, [status(u, i) for i in items]) for u in learners]
    stats = []
    for col, item in enumerate(items):
        s = ItemStats(item)
        for _, row in matrix:
            s.solved += row[col] == SOLVED
            s.attempted += row[col] == ATTEMPTED
        if item.question is None:
            s.attempts = attempts[item.scenario_id]
            s.failed_checks = failed.get(item.scenario_id, Counter()).most_common(3)
            s.over_grants = over.get(item.scenario_id, Counter()).most_common(3)
        else:
            s.wrong_options = wrong.get((item.scenario_id, item.question), Counter()).most_common(3)
        stats.append(s)
    return Dashboard(group, learners, items, matrix, stats)


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP's CSV injection advice)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def dashboard_csv(board: Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner"] + [spreadsheet_safe(i.label) for i in board.items])
    for user, row in board.matrix:
        writer.writerow([spreadsheet_safe(user.get_username())] + row)
    return out.getvalue()


def leaderboard(group: StudyGroup) -> list[tuple[str, int]]:
    """Opted-in members by scenarios solved and questions answered right (never by speed)."""
    members = list(group.memberships.filter(on_leaderboard=True).select_related("user"))
    ids = [m.user_id for m in members]
    solved = Counter(Progress.objects.filter(user_id__in=ids, status=Progress.SOLVED).values_list("user_id", flat=True))
    right = Counter(
        uid for uid, _ in Answer.objects.filter(user_id__in=ids, correct=True)
        .values_list("user_id", "scenario_id", "question").distinct().values_list("user_id", "scenario_id")
    )
    rows = [(m.user.get_username(), solved[m.user_id] + right[m.user_id]) for m in members]
    return sorted(rows, key=lambda r: (-r[1], r[0]))
