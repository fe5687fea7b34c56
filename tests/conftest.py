"""Personas and a loaded scenario for the web tests (pretix-style chained fixtures)."""

from __future__ import annotations

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "tests", "fixtures", "cross-account-reports.yaml")
SLUG = "example-cross-account-reports"
KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/5d3c1a2b-8e4f-4a6b-9c7d-0e1f2a3b4c5d"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render templates without running collectstatic."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def learner(django_user_model):
    """Alice: a learner."""
    return django_user_model.objects.create_user("alice", password="pw-alice-123")


@pytest.fixture
def other_learner(django_user_model):
    """Bob: another learner, who must never see Alice's work."""
    return django_user_model.objects.create_user("bob", password="pw-bob-123")


@pytest.fixture
def instructor(django_user_model):
    """Ines: staff in the Instructors group, who authors scenarios and runs study groups."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ines", password="x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Instructors")[0])
    return user


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def example(db):
    """The example scenario (tests/fixtures), loaded and published."""
    from scenarios.loader import load_scenarios

    [(scenario, _)] = load_scenarios([EXAMPLE])
    return scenario


@pytest.fixture
def solution_post():
    """What a learner who solved the example posts on Check."""
    import json

    key_policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "EnableIAMPolicies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "AnalystFinance", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:role/Analyst"},
         "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "Finance"}}}]}
    identity = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
                                                         "Resource": KEY_ARN}]}
    return {"editor-0": json.dumps(key_policy, indent=2), "editor-1": json.dumps(identity, indent=2)}


@pytest.fixture
def pack(db):
    """The whole scenario pack, loaded and published."""
    from django.core.management import call_command

    call_command("loadscenarios", verbosity=0)
