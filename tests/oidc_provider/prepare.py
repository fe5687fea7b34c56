"""Set up the test provider's database: `python -m tests.oidc_provider.prepare REDIRECT_URI`.
Creates the organization user `olga` (password `Olga-pass-2026`) and the confidential client
`kms-trainer` / `kms-trainer-secret` whose redirect URI is REDIRECT_URI."""

import os
import sys

import django


def main(redirect_uri: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user("olga", email="olga@example.org", password="Olga-pass-2026")
    Application = get_application_model()
    Application.objects.create(
        name="KMS Trainer", client_id="kms-trainer", client_secret="kms-trainer-secret",
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri, algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
    )


if __name__ == "__main__":
    main(sys.argv[1])
