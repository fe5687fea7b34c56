"""Sign-in through the organization's OpenID Connect provider, end to end: a real provider
(django-oauth-toolkit's OIDC support, `tests/oidc_provider`) runs as a second server, and Chromium
signs in there and comes back to KMS Trainer with an account (PKCE, code flow, userinfo)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kmstrainer import oidc
from tests.servers import free_port, wait_until_up

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def provider(live_server, tmp_path):
    """The provider's base URL; its client's redirect URI is this live server's callback."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings", "PYTHONPATH": ROOT,
           "OIDC_PROVIDER_DB": str(tmp_path / "provider.sqlite3"), "OIDC_PROVIDER_KEY": str(tmp_path / "key.pem")}
    callback = f"{live_server.url}/accounts/oidc/organization/login/callback/"
    subprocess.run([sys.executable, "-m", "tests.oidc_provider.prepare", callback], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/o/.well-known/openid-configuration")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_learner_signs_in_through_the_organizations_openid_provider(browser, live_server, provider, settings,
                                                                     django_user_model):
    # what the settings make of OIDC_SERVER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_PROVIDER_NAME
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": oidc.openid_connect(
        server_url=f"{provider}/o", client_id="kms-trainer", secret="kms-trainer-secret", name="Northwind")}
    settings.CONTENT_SECURITY_POLICY = oidc.allow_form_action(settings.CONTENT_SECURITY_POLICY, provider)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Northwind").click()
    page.get_by_text("You are about to sign in using a third-party account from Northwind").wait_for()
    page.get_by_role("button", name="Continue").click()  # allauth asks before leaving the site
    page.wait_for_url(f"{provider}/login/**")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill("Olga-pass-2026")
    page.get_by_role("button", name="Sign in to the organization").click()
    page.wait_for_url(f"{live_server.url}/**")
    page.get_by_role("link", name="olga").wait_for()  # signed in, named as the provider names her
    user = django_user_model.objects.get(username="olga")
    assert user.email == "olga@example.org"
    assert user.socialaccount_set.get().provider == "organization"
    context.close()
