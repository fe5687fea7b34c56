from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """The claims an organization's provider sends: the user name and a verified e-mail address."""

    oidc_claim_scope = None  # every claim, whatever the scopes (the test's app asks for all three)

    def get_additional_claims(self, request):
        return {"preferred_username": request.user.username, "email": request.user.email, "email_verified": True}
