"""Spaced review scheduled by FSRS (the `fsrs` package): what a learner got wrong comes back when
the scheduler predicts it would be forgotten.

A wrong answer, or a Check that does not solve the scenario, rates the item `Again` (creating its
card the first time); a right answer on an item that has a card rates it `Good`. The card's due time
is the scheduler's.
"""

from __future__ import annotations

from fsrs import Card, Rating, Scheduler

from django.db import transaction
from django.utils import timezone

from .models import ReviewCard, Scenario

SCHEDULER = Scheduler(enable_fuzzing=False)  # deterministic intervals: learners and tests see the same


def record(*, user, scenario: Scenario, question: int | None, correct: bool, now=None) -> ReviewCard | None:
    now = now or timezone.now()
    with transaction.atomic():
        if correct:
            row = ReviewCard.objects.select_for_update().filter(user=user, scenario=scenario, question=question).first()
            if row is None:
                return None
        else:
            # get_or_create: a parallel first wrong answer finds the card the other request created
            row, _ = ReviewCard.objects.get_or_create(user=user, scenario=scenario, question=question,
                                                      defaults={"due_at": now})
        card = Card.from_dict(row.card) if row.card else Card()
        card, _log = SCHEDULER.review_card(card, Rating.Good if correct else Rating.Again, review_datetime=now)
        row.card, row.due_at, row.reviews = card.to_dict(), card.due, row.reviews + 1
        row.save(update_fields=["card", "due_at", "reviews", "updated_at"])
        return row


def due(user, now=None):
    """The learner's cards that are due, oldest first, with their scenarios (one query)."""
    return ReviewCard.objects.filter(user=user, due_at__lte=now or timezone.now(), scenario__published=True) \
        .select_related("scenario")


def upcoming(user, now=None, limit: int = 10):
    """The learner's next cards, soonest first (what comes due after now)."""
    return ReviewCard.objects.filter(user=user, due_at__gt=now or timezone.now(), scenario__published=True) \
        .select_related("scenario")[:limit]
