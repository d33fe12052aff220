"""Settings for NHS Citizen, read from the environment.

One module for every environment. What changes between them comes from environment variables:

- ``NHS_CITIZEN_ENV``: ``development`` (the default), ``test`` or ``production``.
- ``SECRET_KEY``: required in production; the app refuses to start without it.
- ``DATABASE_URL``: PostgreSQL (or any database dj-database-url understands). Without it the app
  uses SQLite in write-ahead-log mode under ``DATA_DIR``.
- ``DATABASE_REPLICA_URL``: optional read replica of the primary; safe reads in web requests go
  there (``nhs_citizen.config.db_router``). ``CONN_MAX_AGE``: seconds to keep database
  connections open (default 60).
- ``REDIS_URL``: a Redis cache (rate limits, whole pages for visitors who are not signed in).
  Without it, a local memory cache.
- ``PAGE_CACHE_SECONDS``: how long a page is cached for visitors who are not signed in (default
  30, or 0 in tests; 0 turns it off).
- ``VECTOR_INDEX``: which vector index finds similar items (default ``auto``).
- ``AUDIT_SIGNING_KEY``: signs audit log checkpoints (defaults to ``SECRET_KEY`` where used).
- ``ALLOWED_HOSTS``, ``CSRF_TRUSTED_ORIGINS``: comma-separated, for production.
- ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
  ``EMAIL_USE_TLS``, ``DEFAULT_FROM_EMAIL``: outgoing mail in production. In development, mail
  is written to files under ``DATA_DIR/mail`` so you can read it.
- ``SUPPORT_THRESHOLD`` and the other ``NHS_CITIZEN_*`` settings below tune the product.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import nhsuk_frontend_jinja
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "nhs_citizen"


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


ENVIRONMENT = env("NHS_CITIZEN_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"NHS_CITIZEN_ENV must be development, test or production, not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. NHS Citizen will not start in production without a secret key."
        )
    SECRET_KEY = "development-only-secret-key-never-use-in-production"
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")

DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "development") and not PRODUCTION

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = "NHS Citizen"
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    # Our apps come before allauth so that our e-mail templates override its own.
    "nhs_citizen.core",
    "nhs_citizen.nhsuk_forms",
    "nhs_citizen.accounts",
    "nhs_citizen.notifications",
    "nhs_citizen.gather",
    "nhs_citizen.moderation",
    "nhs_citizen.panels",
    "nhs_citizen.assembly",
    "nhs_citizen.meetings",
    "nhs_citizen.tracker",
    "nhs_citizen.culture",
    "nhs_citizen.discover",
    "nhs_citizen.assisted",
    "nhs_citizen.conversations",
    "nhs_citizen.api",
    "nhs_citizen.easyread",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
]
if not PRODUCTION:
    # Demo data and personas: never installed in production.
    INSTALLED_APPS.append("nhs_citizen.nonprod")

MIDDLEWARE = [
    "nhs_citizen.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSPMiddleware (each cached page gets a fresh nonce) and before the session.
    "nhs_citizen.core.middleware.PageCacheMiddleware",
    "nhs_citizen.config.db_router.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "nhs_citizen.accounts.middleware.RequireStaffSecondFactorMiddleware",
]

ROOT_URLCONF = "nhs_citizen.config.urls"
WSGI_APPLICATION = "nhs_citizen.config.wsgi.application"
ASGI_APPLICATION = "nhs_citizen.config.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        # Our pages, and allauth's pages (overridden with ".jinja" templates).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [Path(nhsuk_frontend_jinja.__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "nhs_citizen.config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "nhs_citizen.core.context_processors.site",
            ],
        },
    },
    {
        # Only for plain-text e-mails and any third-party template we do not override.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
FORM_RENDERER = "nhs_citizen.nhsuk_forms.renderers.NHSUKFormRenderer"

# Databases -------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
CONN_MAX_AGE = int(env("CONN_MAX_AGE", "60"))
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(DATA_DIR / "nhs_citizen.sqlite3")),
            "OPTIONS": {
                # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write
                # lock at the start of a transaction so two writers queue instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file, not memory, so that concurrency tests get real separate
            # connections. One file per test run, so that two runs never share one.
            "TEST": {
                "NAME": env("SQLITE_TEST_PATH", str(DATA_DIR / f"test-{os.getpid()}.sqlite3"))
            },
        }
    }
# A read replica: GET requests read from it until they write; everything else uses the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["nhs_citizen.config.db_router.PrimaryReplicaRouter"]
# After a write, a browser reads from the primary for this long (longer than replica lag).
REPLICA_PIN_SECONDS = int(env("REPLICA_PIN_SECONDS", "10"))
REPLICA_PIN_COOKIE_NAME = "primary_reads"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches ----------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "nhs_citizen.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Sessions are kept in the database: only signed-in people have one. With Redis (shared by every
# web process) each is also kept in the cache, so a signed-in request reads it from Redis, not
# from PostgreSQL; writes go to both. Never with the per-process local cache: a session ended in
# one process would live on in another's copy.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Whole pages for visitors who are not signed in (nhs_citizen.core.middleware): safe because
# everyone who changes anything is signed in or has just posted (a cookie), and bypasses it.
# Off in tests unless a test turns it on, so that tests see every change at once.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "0" if ENVIRONMENT == "test" else "30"))
PAGE_CACHE_MAX_BYTES = 1_000_000

# Background jobs -------------------------------------------------------------------------------
# Django's Tasks API (django-tasks backport) with a database-backed queue: nothing else to run.
TASKS = {
    "default": {
        # Tests run jobs at once, in the same process, unless a test asks for the queue.
        "BACKEND": env(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}
# Nightly bulk open-data files (issue 15): where the dated snapshots go, and how many to keep.
OPEN_DATA_SNAPSHOT_DIR = Path(env("OPEN_DATA_SNAPSHOT_DIR", str(DATA_DIR / "open-data")))
OPEN_DATA_SNAPSHOTS_KEEP = int(env("OPEN_DATA_SNAPSHOTS_KEEP", "14"))
# The open API counts requests per client address (ADR 0030). Behind N proxies of our own (load
# balancer, CDN), the client is the Nth address from the right of X-Forwarded-For; with 0 (the
# default) the header is ignored, as anyone can write it, and the socket's address counts.
API_TRUSTED_PROXY_COUNT = int(env("API_TRUSTED_PROXY_COUNT", "0"))
# Selection by lot (ADR 0021): the lottery job's wall-clock budgets, in seconds, for the LEXIMIN
# chances (and the check of the proof) and for rounding them to the lottery.
PANEL_DISTRIBUTION_TIME_LIMIT = float(env("PANEL_DISTRIBUTION_TIME_LIMIT", "120"))
PANEL_ROUNDING_TIME_LIMIT = float(env("PANEL_ROUNDING_TIME_LIMIT", "60"))

# Accounts --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Hashing is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:your_account"
ACCOUNT_ADAPTER = "nhs_citizen.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_TEMPLATE_EXTENSION = "jinja"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "NHS Citizen: "
ACCOUNT_FORMS = {
    "login": "nhs_citizen.accounts.forms.SignInForm",
    "signup": "nhs_citizen.accounts.forms.SignUpForm",
    "reset_password": "nhs_citizen.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "nhs_citizen.accounts.forms.ResetPasswordKeyForm",
    "change_password": "nhs_citizen.accounts.forms.ChangePasswordForm",
}
# Failed sign-ins are limited per address (lock-out) and per network address (rate limit).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", "20/m/ip,5/15m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "NHS Citizen"
MFA_FORMS = {
    "authenticate": "nhs_citizen.accounts.forms.SecondFactorForm",
    "reauthenticate": "nhs_citizen.accounts.forms.SecondFactorReauthenticateForm",
    "activate_totp": "nhs_citizen.accounts.forms.ActivateTOTPForm",
    "deactivate_totp": "nhs_citizen.accounts.forms.DeactivateTOTPForm",
    "generate_recovery_codes": "nhs_citizen.accounts.forms.GenerateRecoveryCodesForm",
}
MFA_ADAPTER = "nhs_citizen.accounts.adapters.SecondFactorAdapter"

# E-mail ----------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "NHS Citizen <no-reply@nhs-citizen.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif PRODUCTION:
    raise ImproperlyConfigured(
        "EMAIL_HOST must be set in production so that people get their e-mails."
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# Internationalisation --------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: the NHS.UK frontend's CSS refers to /assets/images/..., so static files live
# under /assets/ and the package's assets folder is served at that root. -----------------------
STATIC_URL = "/assets/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NHSUK_FRONTEND_DIST = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STATICFILES_DIRS = [
    ("nhsuk", NHSUK_FRONTEND_DIST),
    NHSUK_FRONTEND_DIST / "assets",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = not PRODUCTION

# Security --------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "nhs_citizen.core.views.errors.csrf_failure"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    REPLICA_PIN_COOKIE_NAME = "__Host-primary_reads"

# The same policy everywhere, so tests catch what production would block. NHS.UK fonts come from
# assets.nhs.uk; everything else is our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# Logging ---------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING"),
    },
}

# Scale -----------------------------------------------------------------------------------------
# Which vector index finds similar flags and statements: "auto" picks the best one available.
VECTOR_INDEX = env("VECTOR_INDEX", "auto")
# Signs audit log checkpoints; empty means use SECRET_KEY.
AUDIT_SIGNING_KEY = env("AUDIT_SIGNING_KEY")
# Earlier signing keys, so checkpoints signed before a key change still check out.
AUDIT_SIGNING_KEY_FALLBACKS = env_list("AUDIT_SIGNING_KEY_FALLBACKS")

# Product settings ------------------------------------------------------------------------------
NHS_CITIZEN = {
    "SUPPORT_THRESHOLD": int(env("SUPPORT_THRESHOLD", "100")),
    "RESPONSE_WORKING_DAYS": int(env("RESPONSE_WORKING_DAYS", "20")),
    "FLAGS_PER_PAGE": 20,
}
