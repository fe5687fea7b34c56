"""Sign-in through an organization's OpenID Connect provider (allauth's `openid_connect`), set up
from the environment by the settings, and by the end-to-end test against a real provider."""

from __future__ import annotations

import copy
from urllib.parse import urlsplit


def openid_connect(*, server_url: str, client_id: str, secret: str, provider_id: str = "organization",
                   name: str = "your organization", pkce: bool = True) -> dict:
    """allauth's `SOCIALACCOUNT_PROVIDERS["openid_connect"]` for one provider."""
    return {"APPS": [{
        "provider_id": provider_id, "name": name, "client_id": client_id, "secret": secret,
        "settings": {"server_url": server_url, "oauth_pkce_enabled": pkce},
    }]}


def allow_form_action(csp: dict, server_url: str) -> dict:
    """The CSP with the provider's origin added to `form-action`: signing in posts a form whose answer
    redirects to the provider, and browsers hold redirects after a form to `form-action` too."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(server_url))
    out = copy.deepcopy(csp)
    out["DIRECTIVES"]["form-action"] = [*out["DIRECTIVES"]["form-action"], origin]
    return out
