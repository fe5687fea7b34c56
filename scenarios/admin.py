"""Instructor authoring in the Django admin, every save verified by the engine."""

from __future__ import annotations

import io
import zipfile

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from kmstrainer.accounts import is_instructor
from kmstrainer.engine import MAX_TEXT_CHARS, EngineInputError

from . import authoring
from .loader import ScenarioFileError, read_spec
from .scenario_rows import LoadedSpec, apply_spec, scenario_duplicate, scenario_export, scenario_upsert
from .models import Answer, Attempt, Progress, Scenario
from .specs import engine_scenario



class MarkdownWidget(forms.Textarea):
    """A Markdown textarea with a live, sanitized preview beside it (htmx)."""

    template_name = "admin/scenarios/markdown_widget.html"


class YamlWidget(forms.Textarea):
    def __init__(self, rows=14):
        super().__init__(attrs={"rows": rows, "data-editor": "yaml", "spellcheck": "false", "class": "vLargeTextField"})


class ScenarioForm(forms.ModelForm):
    """Metadata fields plus the scenario's YAML sections; `clean` runs the engine."""

    sources_text = forms.CharField(label="Sources", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text="AWS documentation URLs the expected answers rely on, one per line.")
    topics_text = forms.CharField(label="Topics", required=False, help_text="Comma-separated tags.")
    world_yaml = forms.CharField(label="World", required=False, widget=YamlWidget(20))
    editable_yaml = forms.CharField(label="Editable", required=False, widget=YamlWidget(5))
    solution_yaml = forms.CharField(label="Solution", required=False, widget=YamlWidget(14))
    checks_yaml = forms.CharField(label="Checks", required=False, widget=YamlWidget(18))
    questions_yaml = forms.CharField(label="Questions", required=False, widget=YamlWidget(14))

    class Meta:
        model = Scenario
        fields = ("slug", "title", "tip", "difficulty", "story", "task", "explanation", "published")
        widgets = {"story": MarkdownWidget(attrs={"rows": 8}), "task": MarkdownWidget(attrs={"rows": 3}),
                   "explanation": MarkdownWidget(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spec = self.instance.spec or {}
        if not self.is_bound:
            for name in authoring.YAML_FIELDS:
                self.fields[f"{name}_yaml"].initial = authoring.dump_yaml(spec.get(name))
            self.fields["sources_text"].initial = "\n".join(spec.get("sources") or [])
            self.fields["topics_text"].initial = ", ".join(spec.get("topics") or [])
        self.result: authoring.AuthoringResult | None = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        values = {
            "title": cleaned.get("title"), "tip": cleaned.get("tip"), "difficulty": cleaned.get("difficulty"),
            "story": cleaned.get("story"), "task": cleaned.get("task"), "explanation": cleaned.get("explanation"),
            "sources": [s.strip() for s in (cleaned.get("sources_text") or "").splitlines() if s.strip()],
            "topics": [t.strip() for t in (cleaned.get("topics_text") or "").split(",") if t.strip()],
        }
        texts = {name: cleaned.get(f"{name}_yaml") or "" for name in authoring.YAML_FIELDS}
        self.result = result = authoring.build(cleaned.get("slug") or "draft", values, texts)
        # The badge beside the fields tells about this version, saved or not (a rejected save must not
        # keep showing the stored version's "valid").
        self.instance.valid = result.valid
        self.instance.problems = result.problems or [
            f"{name}: {error}" for name, errors in result.field_errors.items() for error in errors]
        syntax = result.data is None
        for name, errors in result.field_errors.items():
            field_name = f"{name}_yaml" if name in authoring.YAML_FIELDS else None
            for error in errors:
                if syntax or cleaned.get("published"):
                    self.add_error(field_name, error)
        if not syntax and not result.valid and cleaned.get("published"):
            self.add_error("published", "An invalid scenario can be saved as a draft but not published: fix the "
                                        "problems shown at the fields first.")
        return cleaned

    def save(self, commit=True):
        obj = super().save(commit=False)
        result = self.result
        apply_spec(obj, LoadedSpec(obj.slug, authoring.dump_yaml(result.data), result.data, result.question_keys,
                                   result.problems))
        if commit:
            obj.save()
        return obj


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files in one field (the pattern from Django's documentation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(help_text="One or more scenario files (.yaml) in the contract format.")


@admin.register(Scenario)
class ScenarioAdmin(SimpleHistoryAdmin):
    form = ScenarioForm
    list_display = ("title", "tip", "difficulty", "published", "valid", "solve_rate", "attempt_count")
    list_filter = ("tip", "difficulty", "published", "valid")
    search_fields = ("title", "slug", "story", "task")
    readonly_fields = ("validity", "question_key_display", "created_at", "updated_at")
    actions = ("publish", "unpublish", "duplicate", "export_yaml")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in getattr(form, "result", None) and form.result.warnings or []:
            self.message_user(request, f"Checks: {warning}", messages.WARNING)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404("No such version")
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(str(pk).isdigit() for pk in selected):
            self.message_user(request, "The selection names no scenario.", messages.WARNING)
            return None
        return super().response_action(request, queryset)
    history_list_display = ("source_diff",)
    change_form_template = "admin/scenarios/scenario/change_form.html"
    change_list_template = "admin/scenarios/scenario/change_list.html"
    fieldsets = (
        (None, {"fields": ("title", "slug", "tip", "difficulty", "topics_text", "published", "validity",
                           "question_key_display")}),
        ("Learner text (Markdown)", {"fields": ("story", "task", "explanation", "sources_text")}),
        ("World and checks (YAML or JSON, scenario format)", {"fields": (
            "world_yaml", "editable_yaml", "solution_yaml", "checks_yaml", "questions_yaml")}),
    )

    class Media:
        css = {"all": ("css/admin.css",)}
        js = ("django_htmx/htmx-2.min.js", "vendor/editor.bundle.js")

    # -- permissions: instructors author, nobody else gets in ---------------------------------

    def has_module_permission(self, request):
        return is_instructor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_instructor(request.user)

    def has_add_permission(self, request):
        return is_instructor(request.user)

    def has_change_permission(self, request, obj=None):
        return is_instructor(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_instructor(request.user)

    # -- list -------------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _attempts=Count("progress", distinct=True),
            _solved=Count("progress", filter=Q(progress__status=Progress.SOLVED), distinct=True),
        )

    @admin.display(description="Solve rate")
    def solve_rate(self, obj):
        if not obj._attempts:
            return "—"
        return f"{round(100 * obj._solved / obj._attempts)} % of {obj._attempts}"

    @admin.display(description="Learners", ordering="_attempts")
    def attempt_count(self, obj):
        return obj._attempts

    @admin.display(description="Engine validation")
    def validity(self, obj):
        if not obj.pk:
            return "Validated when you save."
        if obj.valid:
            return mark_safe('<strong class="kms-valid">✓ valid</strong>: the solution passes every check, the '
                             'starting world fails at least one, every question has one computed key.')
        items = format_html_join("", "<li>{}</li>", ((p,) for p in obj.problems))
        return format_html('<strong class="kms-invalid">✗ not valid</strong> (draft only)<ul>{}</ul>', items)

    @admin.display(description="Question keys (computed)")
    def question_key_display(self, obj):
        keys = obj.question_keys or []
        if not keys:
            return "—"
        return "; ".join(f"Q{i + 1}: " + ("+".join(chr(65 + j) for j in k) if k else "no single answer")
                         for i, k in enumerate(keys))

    # -- history ----------------------------------------------------------------------------

    @admin.display(description="Changes, by section")
    def source_diff(self, record):
        previous = record.prev_record
        if previous is None:
            return "created"
        sections = authoring.section_diff(previous.spec or {}, record.spec or {})
        if not sections:
            return "no change to the scenario"
        return format_html_join("", "<details class='kms-diff'><summary>{} changed</summary><pre>{}</pre></details>",
                                ((name, "\n".join(lines)) for name, lines in sections))

    # -- actions ----------------------------------------------------------------------------

    @admin.action(description="Publish selected scenarios (valid ones only)")
    def publish(self, request, queryset):
        done = queryset.filter(valid=True).update(published=True)
        skipped = queryset.filter(valid=False).count()
        self.message_user(request, f"Published {done}." + (f" {skipped} invalid scenario(s) stay drafts." if skipped
                                                           else ""), messages.WARNING if skipped else messages.SUCCESS)

    @admin.action(description="Unpublish selected scenarios")
    def unpublish(self, request, queryset):
        self.message_user(request, f"Unpublished {queryset.update(published=False)}.")

    @admin.action(description="Duplicate selected scenarios (as drafts)")
    def duplicate(self, request, queryset):
        for obj in queryset:
            scenario_duplicate(obj)
        self.message_user(request, f"Duplicated {queryset.count()} scenario(s) as drafts.")

    @admin.action(description="Export selected scenarios as YAML")
    def export_yaml(self, request, queryset):
        items = list(queryset)
        if len(items) == 1:
            response = HttpResponse(scenario_export(items[0]), content_type="application/x-yaml")
            response["Content-Disposition"] = f'attachment; filename="{items[0].slug}.yaml"'
            return response
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for obj in items:
                archive.writestr(f"{obj.slug}.yaml", scenario_export(obj))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="scenarios.zip"'
        return response

    # -- extra views ------------------------------------------------------------------------

    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="scenarios_scenario_import"),
            path("<int:pk>/run-checks/", self.admin_site.admin_view(self.run_checks_view),
                 name="scenarios_scenario_run_checks"),
            path("markdown-preview/", self.admin_site.admin_view(self.markdown_preview),
                 name="scenarios_scenario_markdown_preview"),
        ]
        return extra + super().get_urls()

    def run_checks_view(self, request, pk):
        if not is_instructor(request.user):
            raise PermissionDenied
        obj = get_object_or_404(Scenario, pk=pk)
        try:
            scenario = engine_scenario(obj)
            rows, access = authoring.run_table(scenario), authoring.access_table(scenario)
            error = ""
        except EngineInputError as exc:
            rows, access, error = [], [], str(exc)
        context = {**self.admin_site.each_context(request), "title": f"Run checks: {obj.title}", "obj": obj,
                   "rows": rows, "access": access, "error": error, "opts": self.model._meta}
        return render(request, "admin/scenarios/scenario/run_checks.html", context)

    def import_view(self, request):
        if not is_instructor(request.user):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = []
        if request.method == "POST" and form.is_valid():
            for upload in form.cleaned_data["files"]:
                if upload.size > MAX_TEXT_CHARS:
                    report.append((upload.name, False, f"{upload.name}: the file is {upload.size:,} bytes; "
                                                       f"at most {MAX_TEXT_CHARS:,} are accepted"))
                    continue
                try:
                    text = upload.read().decode("utf-8")
                    spec = read_spec(upload.name, text=text)
                except (ScenarioFileError, UnicodeDecodeError) as exc:
                    report.append((upload.name, False, str(exc)))
                    continue
                obj, created = scenario_upsert(spec)
                note = "valid" if obj.valid else "saved as a draft: " + "; ".join(obj.problems)
                report.append((upload.name, obj.valid, f"{'created' if created else 'updated'} “{obj.title}”, {note}"))
        context = {**self.admin_site.each_context(request), "title": "Import scenario files", "form": form,
                   "report": report, "opts": self.model._meta}
        return render(request, "admin/scenarios/scenario/import.html", context)

    def markdown_preview(self, request):
        from .templatetags.scenario_extras import markdown

        if not is_instructor(request.user) or request.method != "POST":
            raise PermissionDenied
        name = request.POST.get("field", "")
        return HttpResponse(markdown(request.POST.get(name, "")))

    def response_change(self, request, obj):
        if "_run_checks" in request.POST:
            return redirect(reverse("admin:scenarios_scenario_run_checks", args=[obj.pk]))
        return super().response_change(request, obj)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("user", "scenario", "passed", "visible_passed", "hidden_passed", "created_at")
    list_select_related = ("user", "scenario")
    list_filter = ("passed",)

    def has_module_permission(self, request):
        return is_instructor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_instructor(request.user)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("user", "scenario", "question", "correct", "created_at")
    list_select_related = ("user", "scenario")

    def has_module_permission(self, request):
        return is_instructor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_instructor(request.user)

