"""Study groups: members with roles, assignments of scenarios and questions, and what the group sees."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from scenarios.models import Scenario


def new_code() -> str:
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")[:8].upper()


class StudyGroupQuerySet(models.QuerySet):
    def for_member(self, user) -> StudyGroupQuerySet:
        """Groups the user belongs to, in any role."""
        return self.filter(memberships__user=user)

    def with_code(self, code: str) -> StudyGroupQuerySet:
        """The group an invite code names, typed in any case, with spaces around it."""
        return self.filter(code=code.strip().upper())

    def taught_by(self, user) -> StudyGroupQuerySet:
        return self.filter(memberships__user=user, memberships__role=Membership.INSTRUCTOR)


class StudyGroup(models.Model):
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=12, unique=True, default=new_code,
                            help_text="Members join with this code or the invite link.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StudyGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    INSTRUCTOR, LEARNER = "instructor", "learner"
    ROLES = [(INSTRUCTOR, "Instructor"), (LEARNER, "Learner")]

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=ROLES, default=LEARNER)
    on_leaderboard = models.BooleanField(default=False, help_text="Show me on the group's leaderboard.")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")]
        ordering = ["role", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role})"


class Assignment(models.Model):
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=160)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "created_at"]

    def __str__(self) -> str:
        return self.title


class AssignmentItem(models.Model):
    """One scenario to solve (question is None) or one of its questions to answer."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="items")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="+")
    question = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.scenario.title}" + (f" · question {self.question + 1}" if self.question is not None else "")

    @property
    def label(self) -> str:
        return str(self)
