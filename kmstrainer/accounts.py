"""Who is an instructor: the one definition the admin, the lab's draft previews and study groups use."""

from __future__ import annotations

INSTRUCTORS_GROUP = "Instructors"


def is_instructor(user) -> bool:
    """An active staff member of the Instructors group (or a superuser): authors scenarios, previews
    drafts and their solutions, and creates study groups."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and (
        user.is_superuser or user.groups.filter(name=INSTRUCTORS_GROUP).exists()))
