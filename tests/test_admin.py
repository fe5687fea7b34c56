"""Authoring in the admin: engine-verified saves, drafts, publishing, run checks, import/export, history."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from scenarios.scenario_rows import scenario_export
from scenarios.models import Scenario

from .conftest import EXAMPLE, SLUG

pytestmark = pytest.mark.django_db




def change_url(obj):
    return reverse("admin:scenarios_scenario_change", args=[obj.pk])


def form_data(client, obj, **changes):
    """The change form's current values, as the browser would post them."""
    response = client.get(change_url(obj))
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["published"] = "on" if obj.published else ""
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False and v != ""} | {k: v for k, v in changes.items()}


def test_learners_never_reach_the_admin(learner_client, example):
    response = learner_client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert learner_client.get(change_url(example)).status_code == 302


def test_staff_outside_the_instructors_group_cannot_author(client, django_user_model, example):
    client.force_login(django_user_model.objects.create_user("sam", password="x", is_staff=True))
    assert client.get(reverse("admin:scenarios_scenario_changelist")).status_code == 403
    assert client.get(change_url(example)).status_code == 403


def test_the_list_shows_tip_validity_and_solve_rate(instructor_client, example):
    html = instructor_client.get(reverse("admin:scenarios_scenario_changelist")).content.decode()
    assert "Let Analytics read the Finance reports" in html and "Solve rate" in html and "Import YAML files" in html


def test_the_change_form_shows_every_section_as_yaml(instructor_client, example):
    response = instructor_client.get(change_url(example))
    form = response.context["adminform"].form
    assert "alias/monthly-reports" in form["world_yaml"].value()
    assert "The Analyst can decrypt a Finance report" in form["checks_yaml"].value()
    assert 'data-editor="yaml"' in response.content.decode()
    assert "Run checks" in response.content.decode() and "Preview as learner" in response.content.decode()


def test_a_yaml_syntax_error_is_shown_at_its_field_with_the_line(instructor_client, example):
    data = form_data(instructor_client, example, checks_yaml="- name: x\n  request: {principal: [\n")
    response = instructor_client.post(change_url(example), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "line" in errors["checks_yaml"][0] and "invalid YAML" in errors["checks_yaml"][0]


def test_a_solution_that_fails_a_check_cannot_be_published(instructor_client, example):
    broken = form_data(instructor_client, example)["solution_yaml"].replace(
        "Department: Finance", "Department: HR")
    data = form_data(instructor_client, example, solution_yaml=broken)
    response = instructor_client.post(change_url(example), data)
    errors = response.context["adminform"].form.errors
    assert "the solution fails check “The Analyst can decrypt a Finance report”" in errors["solution_yaml"][0]
    assert "published" in errors
    assert Scenario.objects.get(pk=example.pk).valid


def test_after_a_rejected_save_the_badge_tells_about_the_version_on_the_page(instructor_client, example):
    broken = form_data(instructor_client, example)["solution_yaml"].replace("Department: Finance", "Department: HR")
    html = instructor_client.post(change_url(example), form_data(instructor_client, example, solution_yaml=broken)
                                  ).content.decode()
    assert "✗ not valid" in html and "✓ valid" not in html
    assert "the solution fails check" in html
    assert Scenario.objects.get(pk=example.pk).valid  # the stored version is untouched


def test_a_syntax_error_makes_the_badge_say_where(instructor_client, example):
    data = form_data(instructor_client, example, checks_yaml="- name: x\n  request: {principal: [\n")
    html = instructor_client.post(change_url(example), data).content.decode()
    assert "✗ not valid" in html and "checks: line" in html


def test_multi_line_question_prompts_keep_their_block_form(instructor_client, example):
    questions = form_data(instructor_client, example)["questions_yaml"]
    multi = [q for q in example.questions if "\n" in q["prompt"].strip()]
    assert multi, "the example scenario has a multi-line prompt"
    assert "prompt: |" in questions
    reloaded = yaml.safe_load(questions)
    assert [q["prompt"] for q in reloaded] == [q["prompt"] for q in example.questions]


def test_an_invalid_scenario_can_be_saved_as_a_draft(instructor_client, example):
    broken = form_data(instructor_client, example)["solution_yaml"].replace(
        "Department: Finance", "Department: HR")
    data = form_data(instructor_client, example, solution_yaml=broken)
    data.pop("published", None)
    response = instructor_client.post(change_url(example), data)
    assert response.status_code == 302
    obj = Scenario.objects.get(pk=example.pk)
    assert not obj.valid and not obj.published
    assert any("the solution fails check" in p for p in obj.problems)


def test_the_publish_action_skips_invalid_scenarios(instructor_client, example):
    Scenario.objects.filter(pk=example.pk).update(published=False, valid=False)
    instructor_client.post(reverse("admin:scenarios_scenario_changelist"),
                           {"action": "publish", "_selected_action": [example.pk]})
    assert not Scenario.objects.get(pk=example.pk).published


def test_run_checks_shows_every_check_against_start_and_solution(instructor_client, example):
    response = instructor_client.get(reverse("admin:scenarios_scenario_run_checks", args=[example.pk]))
    rows = response.context["rows"]
    assert len(rows) == 5
    assert all(r["solution"]["passed"] for r in rows)
    assert not all(r["start"]["passed"] for r in rows)


def test_importing_a_yaml_file_creates_the_scenario(instructor_client):
    upload = SimpleUploadedFile("s.yaml", open(EXAMPLE, "rb").read(), content_type="application/x-yaml")
    response = instructor_client.post(reverse("admin:scenarios_scenario_import"), {"files": [upload]})
    assert response.status_code == 200 and "created" in response.content.decode()
    assert Scenario.objects.get(slug=SLUG).valid


def test_importing_a_bad_file_reports_file_and_line(instructor_client):
    upload = SimpleUploadedFile("bad.yaml", b"id: x\nworld: {keyz: []}\nchecks: []\n")
    html = instructor_client.post(reverse("admin:scenarios_scenario_import"), {"files": [upload]}).content.decode()
    assert "bad.yaml:2" in html and "`keyz`" in html
    assert not Scenario.objects.exists()


def test_load_export_load_is_lossless(tmp_path, example):
    original = Scenario.objects.get(pk=example.pk)
    out = tmp_path / "out"
    call_command("exportscenarios", str(out), stdout=io.StringIO())
    exported = (out / f"{SLUG}.yaml").read_text()
    assert exported == open(EXAMPLE, encoding="utf-8").read()
    Scenario.objects.all().delete()
    call_command("loadscenarios", str(out), stdout=io.StringIO())
    again = Scenario.objects.get(slug=SLUG)
    assert again.spec == original.spec and again.question_keys == original.question_keys


def test_an_edited_scenario_exports_its_new_content(instructor_client, example):
    data = form_data(instructor_client, example, title="Analytics reads Finance reports")
    instructor_client.post(change_url(example), data)
    obj = Scenario.objects.get(pk=example.pk)
    assert yaml.safe_load(scenario_export(obj))["title"] == "Analytics reads Finance reports"


def test_the_export_action_returns_yaml(instructor_client, example):
    response = instructor_client.post(reverse("admin:scenarios_scenario_changelist"),
                                      {"action": "export_yaml", "_selected_action": [example.pk]})
    assert response["Content-Disposition"].endswith(f'{SLUG}.yaml"')
    assert yaml.safe_load(response.content)["id"] == SLUG


def test_duplicate_creates_a_draft_copy(instructor_client, example):
    instructor_client.post(reverse("admin:scenarios_scenario_changelist"),
                           {"action": "duplicate", "_selected_action": [example.pk]})
    copy = Scenario.objects.get(slug=f"{SLUG}-copy")
    assert not copy.published and copy.spec["id"] == copy.slug


def test_history_records_who_changed_what_with_a_diff(instructor_client, instructor, example):
    data = form_data(instructor_client, example, title="Renamed")
    instructor_client.post(change_url(example), data)
    record = Scenario.history.filter(id=example.pk).first()
    assert record.history_user == instructor and record.title == "Renamed"
    html = instructor_client.get(reverse("admin:scenarios_scenario_history", args=[example.pk])).content.decode()
    assert "title changed" in html and "+Renamed" in html


def test_the_history_shows_only_the_sections_a_save_changed(instructor_client, example):
    instructor_client.post(change_url(example), form_data(instructor_client, example))  # a save that re-formats
    instructor_client.post(change_url(example), form_data(instructor_client, example, task="Fix the grant."))
    html = instructor_client.get(reverse("admin:scenarios_scenario_history", args=[example.pk])).content.decode()
    assert "no change to the scenario" in html
    assert "task changed" in html and "+Fix the grant." in html
    assert "world changed" not in html and "checks changed" not in html


def test_the_markdown_preview_is_sanitized(instructor_client):
    html = instructor_client.post(reverse("admin:scenarios_scenario_markdown_preview"),
                                  {"field": "story", "story": "**bold** <script>alert(1)</script>"}).content.decode()
    assert "<strong>bold</strong>" in html and "<script>" not in html


def test_validatescenarios_fails_when_a_stored_key_breaks(example):
    call_command("validatescenarios", stdout=io.StringIO())
    Scenario.objects.filter(pk=example.pk).update(source=example.source.replace("expect: allow", "expect: deny", 1))
    with pytest.raises(CommandError):
        call_command("validatescenarios", "--update", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Scenario.objects.get(pk=example.pk).published


def test_a_history_id_that_is_not_a_number_is_a_404_not_a_500(instructor_client, example):
    url = reverse("admin:scenarios_scenario_history", args=[example.pk]) + "abc/"
    assert instructor_client.get(url).status_code == 404


def test_an_action_on_a_selection_that_is_not_a_number_is_refused_cleanly(instructor_client, example):
    response = instructor_client.post(reverse("admin:scenarios_scenario_changelist"),
                                      {"action": "publish", "_selected_action": ["abc"]})
    assert response.status_code in (200, 302)


def test_run_checks_shows_what_the_reference_allows_per_key(instructor_client, example):
    html = instructor_client.get(reverse("admin:scenarios_scenario_run_checks", args=[example.pk])).content.decode()
    assert "What the reference solution allows" in html
    assert "arn:aws:iam::222222222222:role/Analyst" in html and "kms:Decrypt" in html and "key_policy #2" in html


def test_saving_a_scenario_with_a_vacuous_check_warns_at_the_checks(instructor_client, example):
    checks = form_data(instructor_client, example)["checks_yaml"] + (
        "- name: A stranger may not decrypt\n"
        "  request: {principal: 'arn:aws:iam::999999999999:role/Stranger', action: kms:Decrypt,\n"
        "            key: 'arn:aws:kms:us-east-1:111111111111:key/5d3c1a2b-8e4f-4a6b-9c7d-0e1f2a3b4c5d'}\n"
        "  expect: deny\n")
    response = instructor_client.post(change_url(example), form_data(instructor_client, example, checks_yaml=checks),
                                      follow=True)
    assert "Checks: vacuous check `A stranger may not decrypt`" in response.content.decode()
