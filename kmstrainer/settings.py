"""KMS Trainer settings: one file, every deployment value from the environment.

SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL (SQLite in WAL mode by default; PostgreSQL for
bigger groups), and the HTTPS switches documented in the README.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kmstrainer import oidc

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = envbool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or ("dev-only-insecure-key-change-me" if DEBUG or env("KMSTRAINER_DEV") else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development)")
ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS") or "localhost,127.0.0.1,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env("CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "scenarios",
    "studygroups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "kmstrainer.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
WSGI_APPLICATION = "kmstrainer.wsgi.application"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=envint("CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the busy timeout makes writers queue instead of
    # failing with "database is locked"; IMMEDIATE transactions take the write lock up front.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
    # Tests use a file, not memory, so that a live server's threads have connections of their own
    # (the concurrency tests need real parallel writers).
    # One file per test process, so that two test runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"kmstrainer-test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env("SQLITE_NO_PERSISTENT") else DATABASES["default"]["CONN_MAX_AGE"]

# The cache is shared by every worker and every app server (log-in rate limits count across them):
# a database table by default, or Redis with CACHE_URL=redis://host:6379/0 for several app servers.
def cache_from_url(url: str | None) -> dict:
    if not url or url.startswith("db://"):
        table = (url or "db://kmstrainer_cache")[len("db://"):] or "kmstrainer_cache"
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL must be db://<table> or redis://host:port/db, not {url!r}")


CACHES = {"default": cache_from_url(env("CACHE_URL"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "scenarios:catalog"
LOGOUT_REDIRECT_URL = "home"

# Accounts: django-allauth (sign-up, log-in, e-mail verification, password reset, rate limits, and
# sign-in through the organization's OpenID Connect provider when OIDC_* is set).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION") or "optional"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Failed logins: at most LOGIN_FAILURES_ALLOWED per username in LOGIN_LOCKOUT_SECONDS, and 10 a minute
# per client address, counted in the shared cache under a lock (parallel guesses cannot overshoot). Behind a proxy the address is read from X-Forwarded-For, trusting exactly
# TRUSTED_PROXY_COUNT proxies (nginx in deploy/ is one); never set it on a server clients reach directly.
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{envint('LOGIN_FAILURES_ALLOWED', 5)}/{envint('LOGIN_LOCKOUT_SECONDS', 900)}s/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_FORMS = {"login": "kmstrainer.accounts.LoginForm"}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS = {}
if env("OIDC_SERVER_URL"):  # PKCE on unless OIDC_PKCE=false (a provider that refuses it is rare and old)
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = oidc.openid_connect(
        server_url=env("OIDC_SERVER_URL"), client_id=env("OIDC_CLIENT_ID") or "", secret=env("OIDC_CLIENT_SECRET") or "",
        provider_id=env("OIDC_PROVIDER_ID") or "organization", name=env("OIDC_PROVIDER_NAME") or "your organization",
        pkce=envbool("OIDC_PKCE", True))

# Mail: the console in development; SMTP from the environment in production (EMAIL_HOST set).
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if env("EMAIL_HOST")
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST") or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL") or "KMS Trainer <kmstrainer@localhost>"

# Content-Security-Policy (django-csp): no inline scripts; every script is a file under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    },
}
if env("OIDC_SERVER_URL"):
    CONTENT_SECURITY_POLICY = oidc.allow_form_action(CONTENT_SECURITY_POLICY, env("OIDC_SERVER_URL"))

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env("KMSTRAINER_PLAIN_STATIC")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or envbool("WHITENOISE_USE_FINDERS", False)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: sensible always; HTTPS switches on with SECURE=true behind TLS (see README).
SECURE = envbool("SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE and envbool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# Learning rules
SOLUTION_AFTER_ATTEMPTS = envint("SOLUTION_AFTER_ATTEMPTS", 3)
EXAM_PASS_MARK = envint("EXAM_PASS_MARK", 75)  # percent, as the practice exam's pass mark
MAX_EDITOR_BYTES = envint("MAX_EDITOR_BYTES", 200_000)
SCENARIO_CONTENT_DIR = BASE_DIR / "scenarios" / "content"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL") or "WARNING"},
}
