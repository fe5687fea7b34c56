from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from . import services


class _Crispy(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class GroupForm(_Crispy):
    name = forms.CharField(max_length=120, label="Group name")


class JoinForm(_Crispy):
    code = forms.CharField(max_length=12, label="Invite code")


class AssignmentForm(_Crispy):
    title = forms.CharField(max_length=160)
    due_at = forms.DateTimeField(required=False, label="Due (optional)",
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                 input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    items = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label="Scenarios and questions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = services.item_choices()

    def clean_items(self):
        out = []
        for value in self.cleaned_data["items"]:
            scenario_id, _, question = value.partition(":")
            out.append((int(scenario_id), int(question) if question else None))
        return out


class LeaderboardForm(forms.Form):
    on_leaderboard = forms.BooleanField(required=False, label="Show me on this group's leaderboard")
