"""Login throttling: after a few failed logins for a username (or from an address) further attempts are
refused for a while, counted in the shared cache so that every worker sees them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.core.cache import cache


def _keys(request) -> list[str]:
    username = (request.POST.get("username") or "").strip().lower()
    address = request.META.get("REMOTE_ADDR", "")
    return [f"login-fail:user:{username}", f"login-fail:addr:{address}"]


def locked(request) -> bool:
    return any((cache.get(k) or 0) >= settings.LOGIN_FAILURES_ALLOWED for k in _keys(request))


def record_failure(request) -> None:
    for key in _keys(request):
        if cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear(request) -> None:
    cache.delete_many(_keys(request))


class ThrottledLoginView(LoginView):
    """Django's LoginView, refusing further attempts after repeated failures."""

    def post(self, request, *args, **kwargs):
        if locked(request):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, "Too many failed logins. Wait a few minutes and try again.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            clear(request)
        else:
            record_failure(request)
        return response
