"""Every page that reads YAML or JSON refuses hostile documents with a clear message and a 4xx,
without the worker growing (the security review's payloads, through the real views)."""

from __future__ import annotations

import resource

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .conftest import SLUG
from .engine.test_hostile_input import alias_bomb
from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "alias bomb, 7 levels": (alias_bomb(7), "aliases"),
    "alias bomb, 8 levels": (alias_bomb(8), "aliases"),
    "nesting 10,000 deep": ("[" * 10_000 + "]" * 10_000, "nested more than 64 levels"),
    "a 5,000-digit integer": ('{"Version": ' + "9" * 5000 + "}", "too large"),
    "infinity": ("Version: .inf\n", "out of range"),
    "a NUL character": ('{"Version": "2012-10-17", "Statement": [{"Sid": "a\\u0000"}]}', "NUL"),
    "a typed NUL character": ('{"Version": "2012-10-17", "Statement": [{"Sid": "a\x00"}]}', "control character"),
    "a lone surrogate": ('{"Version": "2012-10-17", "Statement": [{"Sid": "\\udc00"}]}', "surrogate"),
}
CASES = [pytest.param(text, words, id=name) for name, (text, words) in PAYLOADS.items()]


def grows_less_than_100_mb(before: float) -> bool:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before < 100


def peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(("text", "words"), CASES)
@pytest.mark.parametrize("field", ["world", "request"])
def test_the_playground_refuses_it_in_either_box(learner_client, text, words, field):
    before = peak()
    data = {"world": "keys: []\n", "request": "principal: arn:aws:iam::111111111111:root\naction: kms:ListKeys\n"}
    data[field] = text
    response = learner_client.post(reverse("scenarios:playground"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 422 and (words in html or "Null characters are not allowed" in html)
    assert grows_less_than_100_mb(before)


@pytest.mark.parametrize(("text", "words"), CASES)
def test_check_refuses_it_keeps_the_text_and_grades_nothing(learner_client, example, text, words):
    before = peak()
    response = learner_client.post(reverse("scenarios:check", args=[SLUG]), {"editor-0": text, "editor-1": "{}"})
    html = response.content.decode()
    assert response.status_code == 422 and words in html and "Nothing was graded" in html
    assert grows_less_than_100_mb(before)
    assert learner_client.get(reverse("scenarios:lab", args=[SLUG])).status_code == 200  # the draft reopens


@pytest.mark.parametrize(("text", "words"), CASES)
def test_the_linter_refuses_it(learner_client, example, text, words):
    response = learner_client.post(reverse("scenarios:lint", args=[SLUG, "editor-0"]), {"editor-0": text})
    assert response.status_code == 422 and words in response.content.decode()


@pytest.mark.parametrize(("text", "words"), CASES)
def test_an_admin_import_refuses_it_by_file_name(instructor_client, text, words):
    upload = SimpleUploadedFile("hostile.yaml", text.encode("utf-8", "surrogatepass"))
    html = instructor_client.post(reverse("admin:scenarios_scenario_import"), {"files": [upload]}).content.decode()
    assert "hostile.yaml" in html and (words in html or "not UTF-8" in html or "utf-8" in html)


def test_an_admin_import_refuses_a_file_over_the_size_budget_unread(instructor_client):
    upload = SimpleUploadedFile("huge.yaml", b"# " + b"x" * 600_000)
    html = instructor_client.post(reverse("admin:scenarios_scenario_import"), {"files": [upload]}).content.decode()
    assert "huge.yaml" in html and "at most 524,288" in html


@pytest.mark.parametrize(("text", "words"), CASES)
def test_the_admin_yaml_fields_refuse_it_at_the_field(instructor_client, example, text, words):
    data = form_data(instructor_client, example, world_yaml=text)
    response = instructor_client.post(change_url(example), data)
    errors = " ".join(response.context["adminform"].form.errors["world_yaml"])
    assert words in errors or "Null characters are not allowed" in errors
