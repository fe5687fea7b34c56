"""Forms: crispy layouts only; grading is not validation and lives in grading.py."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms

from kmstrainer.engine import CONSTRAINT_KINDS, InvalidPrincipal, parse_caller


def _principal(value: str, what: str) -> str:
    value = value.strip()
    try:
        caller = parse_caller(value)
    except InvalidPrincipal as exc:
        raise forms.ValidationError(str(exc)) from None
    if caller.is_service:
        raise forms.ValidationError(f"a {what} is an account, user, role or session ARN, not a service principal")
    return value


class GrantForm(forms.Form):
    """One grant on one key, as CreateGrant takes it."""

    name = forms.CharField(required=False, max_length=256, help_text="Optional; makes CreateGrant idempotent.")
    grantee = forms.CharField(max_length=256, help_text="ARN of the role, user, session or account root.")
    retiring = forms.CharField(required=False, max_length=256, label="Retiring principal",
                               help_text="Optional: who may retire the grant.")
    operations = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    constraint_kind = forms.ChoiceField(
        required=False, label="Constraint",
        choices=[("", "None")] + [(k, k) for k in CONSTRAINT_KINDS],
    )
    constraint_pairs = forms.CharField(
        required=False, label="Encryption context pairs", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One key=value per line.",
    )

    def __init__(self, *args, operations: tuple[str, ...], prefix_id: str = "grant", **kwargs):
        """`operations`: the grant operations the key's type supports (its grants editor knows them)."""
        super().__init__(*args, **kwargs)
        self.fields["operations"].choices = [(op, op) for op in operations]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(Div(Field("grantee"), css_class="col-md-6"), Div(Field("retiring"), css_class="col-md-6"),
                css_class="row"),
            Field("operations", css_class="grant-ops"),
            Div(Div(Field("constraint_kind"), css_class="col-md-4"),
                Div(Field("constraint_pairs"), css_class="col-md-8"), css_class="row"),
            Field("name"),
        )

    def clean_grantee(self):
        return _principal(self.cleaned_data["grantee"], "grantee")

    def clean_retiring(self):
        value = self.cleaned_data.get("retiring") or ""
        return _principal(value, "retiring principal") if value.strip() else ""

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if name and not all(c.isalnum() or c in ":/_-" for c in name):
            raise forms.ValidationError("a grant name uses letters, digits and : / _ - only")
        return name

    def clean(self):
        data = super().clean()
        kind = data.get("constraint_kind")
        pairs = {}
        for n, line in enumerate((data.get("constraint_pairs") or "").splitlines(), start=1):
            if not line.strip():
                continue
            if "=" not in line:
                self.add_error("constraint_pairs", f"line {n}: write key=value")
                continue
            k, v = line.split("=", 1)
            if not k.strip():
                self.add_error("constraint_pairs", f"line {n}: the key is empty")
            pairs[k.strip()] = v.strip()
        if kind and not pairs:
            self.add_error("constraint_pairs", "a constraint needs at least one key=value pair")
        if pairs and not kind:
            self.add_error("constraint_kind", "choose EncryptionContextEquals or EncryptionContextSubset")
        if len(pairs) > 8:
            self.add_error("constraint_pairs", "KMS allows at most 8 pairs in a grant constraint")
        data["pairs"] = pairs
        return data

    def grant(self) -> dict:
        """The grant in the contract's world format."""
        data = self.cleaned_data
        grant = {"grantee": data["grantee"], "operations": list(data["operations"])}
        if data.get("name"):
            grant["name"] = data["name"]
        if data.get("retiring"):
            grant["retiring"] = data["retiring"]
        if data.get("constraint_kind"):
            grant["constraints"] = {data["constraint_kind"]: data["pairs"]}
        return grant

    @classmethod
    def initial_from(cls, grant: dict) -> dict:
        constraints = grant.get("constraints") or {}
        kind = next(iter(constraints), "")
        return {
            "name": grant.get("name", ""), "grantee": grant.get("grantee", ""),
            "retiring": grant.get("retiring", ""), "operations": grant.get("operations", []),
            "constraint_kind": kind,
            "constraint_pairs": "\n".join(f"{k}={v}" for k, v in (constraints.get(kind) or {}).items()),
        }


class AnswerForm(forms.Form):
    def __init__(self, *args, question: dict, order: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose = int(question.get("choose", 1))
        options = question.get("options") or []
        order = order if order is not None else list(range(len(options)))
        # values stay the authored index; letters follow the order shown
        choices = [(str(i), f"{chr(65 + pos)}. {options[i]['text']}") for pos, i in enumerate(order)]
        if self.choose == 1:
            self.fields["option"] = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label="Your answer")
        else:
            self.fields["option"] = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple,
                                                              label=f"Select {self.choose}")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_option(self):
        value = self.cleaned_data["option"]
        selected = [int(value)] if isinstance(value, str) else [int(v) for v in value]
        if len(selected) != self.choose:
            raise forms.ValidationError(f"select exactly {self.choose} options")
        return selected


class PlaygroundForm(forms.Form):
    use_required_attribute = False  # an empty box gets the app's message at the field, not the browser's bubble

    world = forms.CharField(widget=forms.Textarea(attrs={"rows": 18, "data-editor": "yaml", "spellcheck": "false"}),
                            label="World (YAML or JSON)", max_length=200_000)
    request = forms.CharField(widget=forms.Textarea(attrs={"rows": 8, "data-editor": "yaml", "spellcheck": "false"}),
                              label="Request, list of requests, or steps", max_length=50_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

