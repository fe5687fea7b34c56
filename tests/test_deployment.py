"""Running it for a group: production checks, and backup / restore of everything learners did."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from scenarios.models import Answer, Attempt, Progress, Scenario

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_check_deploy_is_clean_with_the_production_environment():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "KMSTRAINER_DEV", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(SECRET_KEY="x" * 20 + "-production-secret-" + "y" * 30, DEBUG="false", SECURE="true",
               ALLOWED_HOSTS="kms.example.org")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_oidc_provider_from_the_environment_is_offered_and_allowed_by_the_csp():
    env = {**os.environ, "OIDC_SERVER_URL": "https://sso.example.org/realms/kms", "OIDC_CLIENT_ID": "kms",
           "OIDC_CLIENT_SECRET": "s3cret", "OIDC_PROVIDER_NAME": "Example SSO"}
    code = ("from django.conf import settings as s; import json; print(json.dumps(["
            "s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0], s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    app, form_action = json.loads(result.stdout.strip().splitlines()[-1])
    assert app["name"] == "Example SSO" and app["client_id"] == "kms" and app["settings"] == {
        "server_url": "https://sso.example.org/realms/kms", "oauth_pkce_enabled": True}
    assert form_action == ["'self'", "https://sso.example.org"]


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "KMSTRAINER_DEV", "SECRET_KEY")}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_keep_every_attempt_and_answer(tmp_path, learner, example):
    Progress.objects.create(user=learner, scenario=example, status=Progress.SOLVED, draft={"x": 1})
    Attempt.objects.create(user=learner, scenario=example, passed=True, edits=[{"kind": "key_policy"}])
    Answer.objects.create(user=learner, scenario=example, question=0, selected=[0, 1], correct=True)
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "--natural-foreign", "--natural-primary", "-e", "contenttypes", "-e",
                 "auth.permission", "-e", "admin.logentry", "-e", "sessions", "-o", str(backup), stdout=io.StringIO())
    assert json.loads(backup.read_text())
    Answer.objects.all().delete()
    Attempt.objects.all().delete()
    Progress.objects.all().delete()
    Scenario.objects.all().delete()
    call_command("loaddata", str(backup), stdout=io.StringIO())
    assert Attempt.objects.get().edits == [{"kind": "key_policy"}]
    assert Answer.objects.get().selected == [0, 1]
    assert Progress.objects.get().draft == {"x": 1}
    assert Scenario.objects.get().spec == example.spec


def test_the_cache_comes_from_cache_url():
    from django.core.exceptions import ImproperlyConfigured

    from kmstrainer.settings import cache_from_url

    assert cache_from_url(None)["LOCATION"] == "kmstrainer_cache"
    assert cache_from_url("db://shared_cache")["BACKEND"].endswith("DatabaseCache")
    assert cache_from_url("redis://127.0.0.1:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("memcached://x")
