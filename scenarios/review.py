"""Spaced review with Leitner boxes: what a learner got wrong comes back after 1, 2, 4, 8, 16 days.

A wrong answer (or a Check that does not solve the scenario) puts the item in box 1, due tomorrow; a right
answer on a card moves it up a box; past box 5 the card is retired.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import ReviewCard, Scenario


def record(*, user, scenario: Scenario, question: int | None, correct: bool, now=None) -> ReviewCard | None:
    now = now or timezone.now()
    if not correct:
        # get_or_create: a parallel first wrong answer finds the card the other request created
        card, created = ReviewCard.objects.get_or_create(
            user=user, scenario=scenario, question=question, defaults={"box": 1, "due_at": now + timedelta(days=1)})
        if created:
            return card
        card.box = 1
        card.due_at = now + timedelta(days=1)
        card.save(update_fields=["box", "due_at", "updated_at"])
        return card
    card = ReviewCard.objects.filter(user=user, scenario=scenario, question=question).first()
    if card is None:
        return None
    if card.box >= 5:
        card.delete()
        return None
    card.box += 1
    card.due_at = now + timedelta(days=ReviewCard.INTERVAL_DAYS[card.box])
    card.save(update_fields=["box", "due_at", "updated_at"])
    return card


def due(user, now=None):
    """The learner's cards that are due, oldest first, with their scenarios (one query)."""
    return ReviewCard.objects.filter(user=user, due_at__lte=now or timezone.now(), scenario__published=True) \
        .select_related("scenario")
