"""Scenarios (authored in the contract's YAML format), and what learners do with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

TIPS = [
    ("cross-account", "Cross-account access"),
    ("grants-vs-key-policies", "Grants vs key policies"),
    ("root-access-lockout", "Root access and lockout"),
    ("service-linked-roles", "Service-linked roles and AWS services"),
    ("condition-keys", "Condition keys"),
    ("key-deletion-and-grants", "Key deletion and grants"),
    ("eventual-consistency", "Eventual consistency"),
    ("organizations", "AWS Organizations"),
    ("key-policy-basics", "Key policy basics"),
    ("grant-basics", "Grant basics"),
    ("best-practices", "Best practices"),
]
TIP_NAMES = dict(TIPS)
#: The order a newcomer works through the tips in: the basics first, the exam's hardest tips later.
SUGGESTED_PATH = (
    "key-policy-basics", "grant-basics", "root-access-lockout", "cross-account", "grants-vs-key-policies",
    "condition-keys", "service-linked-roles", "key-deletion-and-grants", "eventual-consistency", "organizations",
    "best-practices",
)


def tip_rank(tip: str) -> int:
    """Where `tip` comes on the suggested path (an unknown tip comes last)."""
    return SUGGESTED_PATH.index(tip) if tip in SUGGESTED_PATH else len(SUGGESTED_PATH)


class ScenarioQuerySet(models.QuerySet):
    def published(self) -> ScenarioQuerySet:
        return self.filter(published=True, valid=True)

    def for_catalog(self, user) -> ScenarioQuerySet:
        """Published scenarios with the learner's status, in one query."""
        progress = Progress.objects.filter(user=user, scenario=OuterRef("pk"))
        return (
            self.published()
            .annotate(
                my_status=Subquery(progress.values("status")[:1]),
                my_attempts=Subquery(progress.values("attempts")[:1]),
            )
            .order_by("tip", "difficulty", "title")
        )


class Scenario(models.Model):
    """One scenario. `spec` holds the whole file as data (world, editable, solution, checks,
    questions); `source` keeps the YAML the author wrote, so export is lossless."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    tip = models.CharField(max_length=40, choices=TIPS, db_index=True)
    difficulty = models.PositiveSmallIntegerField(default=1, choices=[(1, "Intro"), (2, "Practice"), (3, "Exam-hard")])
    topics = models.JSONField(default=list, blank=True)
    story = models.TextField(blank=True)
    task = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    spec = models.JSONField(default=dict)
    source = models.TextField(blank=True, help_text="The scenario as YAML, in the contract format.")
    question_keys = models.JSONField(default=list, blank=True, help_text="Computed by the engine.")
    published = models.BooleanField(default=False)
    valid = models.BooleanField(default=False)
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["tip", "difficulty", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def tip_name(self) -> str:
        return TIP_NAMES.get(self.tip, self.tip)

    @property
    def questions(self) -> list[dict]:
        return self.spec.get("questions") or []

    @property
    def editable(self) -> list[dict]:
        return self.spec.get("editable") or []

    @property
    def has_hands_on(self) -> bool:
        return bool(self.editable)


class Progress(models.Model):
    """A learner's standing on one scenario: status, attempts, and the draft they left."""

    NEW, ATTEMPTED, SOLVED = "new", "attempted", "solved"
    STATUSES = [(NEW, "New"), (ATTEMPTED, "Attempted"), (SOLVED, "Solved")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=12, choices=STATUSES, default=NEW)
    attempts = models.PositiveIntegerField(default=0)
    hints_open = models.PositiveSmallIntegerField(default=0, help_text="Rungs of the hint ladder opened (3: the solution).")
    draft = models.JSONField(default=dict, blank=True, help_text="The learner's current edits, by target.")
    solved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "scenario"], name="one_progress_per_scenario")]

    def __str__(self) -> str:
        return f"{self.user} · {self.scenario} · {self.status}"


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user) -> AttemptQuerySet:
        return self.filter(user=user)


class Attempt(models.Model):
    """One press of Check: the learner's edits and what the engine said."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="attempts")
    edits = models.JSONField(default=list)
    passed = models.BooleanField(default=False)
    visible_passed = models.PositiveIntegerField(default=0)
    visible_total = models.PositiveIntegerField(default=0)
    hidden_passed = models.PositiveIntegerField(default=0)
    hidden_total = models.PositiveIntegerField(default=0)
    failed_checks = models.JSONField(default=list, blank=True)
    review = models.JSONField(default=dict, blank=True,
                              help_text="The access review's summary: over-grants (principal, action, class), counts.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.scenario} · {'pass' if self.passed else 'fail'}"


class Answer(models.Model):
    """One answer to an exam-style question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="answers")
    question = models.PositiveSmallIntegerField()
    selected = models.JSONField(default=list)
    correct = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.scenario} Q{self.question + 1} · {'right' if self.correct else 'wrong'}"


def progress_by_tip(user) -> list[dict]:
    """Solved / attempted counts per tip for one learner, in two queries."""
    totals = dict(
        Scenario.objects.published().values_list("tip").annotate(n=Count("id")).values_list("tip", "n")
    )
    mine = (
        Progress.objects.filter(user=user, scenario__published=True, scenario__valid=True)
        .values("scenario__tip")
        .annotate(solved=Count("id", filter=Q(status=Progress.SOLVED)),
                  attempted=Count("id", filter=Q(status=Progress.ATTEMPTED)))
    )
    by_tip = {row["scenario__tip"]: row for row in mine}
    return [
        {"tip": tip, "name": name, "total": totals.get(tip, 0),
         "solved": by_tip.get(tip, {}).get("solved", 0), "attempted": by_tip.get(tip, {}).get("attempted", 0)}
        for tip, name in TIPS if totals.get(tip)
    ]


class ExamSession(models.Model):
    """A timed practice exam: questions drawn across tips, no feedback until it ends."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exams")
    started_at = models.DateTimeField(auto_now_add=True)
    duration_seconds = models.PositiveIntegerField(default=40 * 60)
    items = models.JSONField(default=list, help_text="[[scenario id, question index], ...]")
    answers = models.JSONField(default=dict, help_text="{item index: [selected options]}")
    flags = models.JSONField(default=list, blank=True, help_text="item indexes flagged for review")
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list, blank=True, help_text="per item: correct options and right/wrong")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} exam {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def deadline(self):
        from datetime import timedelta

        return self.started_at + timedelta(seconds=self.duration_seconds)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        return round(100 * self.score / len(self.items)) if self.items else 0


class ReviewCard(models.Model):
    """Spaced review scheduled by FSRS: a scenario (question None) or question the learner got wrong."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="+")
    question = models.PositiveSmallIntegerField(null=True, blank=True)
    card = models.JSONField(default=dict, blank=True, help_text="The FSRS card (fsrs.Card.to_dict()).")
    reviews = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "scenario", "question"], name="one_card_per_item")]
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.scenario} · due {self.due_at:%Y-%m-%d %H:%M}"
