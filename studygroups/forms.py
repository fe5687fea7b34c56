from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
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
    items = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label="Scenarios and questions",
                                      help_text="Grouped by exam tip, the basics first. Learners see the items "
                                                "in the order you tick them.")
    #: The ticked values in the order they were ticked, comma-separated (kept by the picker's script;
    #: without it, the items keep the list's order).
    order = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = services.item_choices()
        self.helper.layout = Layout("title", "due_at", Field("items", template="studygroups/item_picker.html"),
                                    "order")

    def clean(self):
        cleaned = super().clean()
        values = cleaned.get("items") or []
        ticked = [v for v in (cleaned.get("order") or "").split(",") if v in values]
        ordered = list(dict.fromkeys(ticked + values))  # the ticked order first, then anything it missed
        cleaned["items"] = [_item(value) for value in ordered]
        return cleaned


def _item(value: str) -> tuple[int, int | None]:
    """`"12:"` is scenario 12 to solve, `"12:0"` its first question."""
    scenario_id, _, question = value.partition(":")
    return int(scenario_id), int(question) if question else None


class LeaderboardForm(forms.Form):
    on_leaderboard = forms.BooleanField(required=False, label="Show me on this group's leaderboard")
