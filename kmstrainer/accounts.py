"""Accounts: who is an instructor (the one definition the admin, the lab's draft previews and study
groups use), and how allauth reads log-ins."""

from __future__ import annotations

import unicodedata

from allauth.account import forms as _allauth_forms
from allauth.account import views as _allauth_views
from django.db import IntegrityError, transaction

INSTRUCTORS_GROUP = "Instructors"


def is_instructor(user) -> bool:
    """An active staff member of the Instructors group (or a superuser): authors scenarios, previews
    drafts and their solutions, and creates study groups."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and (
        user.is_superuser or user.groups.filter(name=INSTRUCTORS_GROUP).exists()))


class LoginForm(_allauth_forms.LoginForm):
    """allauth's log-in form, reading the name as Django stores it (NFKC), so that a fullwidth or
    otherwise compatible spelling of a name counts against the same failed-login limit."""

    def clean_login(self) -> str:
        return unicodedata.normalize("NFKC", super().clean_login())


class SignupView(_allauth_views.SignupView):
    """allauth's sign-up, with a name taken by a parallel sign-up (after the form checked it, before
    the insert) reported on the form instead of a 500: the unique index decides."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            form.add_error("username", "A user with that username already exists.")
            return self.form_invalid(form)
