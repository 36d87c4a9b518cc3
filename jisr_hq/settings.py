"""Django settings, all from the environment so that one server image runs anywhere.

JISR_HQ_HOME            data folder (default: platformdirs user data dir "jisr-hq")
DATABASE_URL            default: SQLite file hq.sqlite3 in the data folder; postgresql://… for production
DJANGO_SECRET_KEY       default: a generated key kept in <home>/secret_key (owner-only)
JISR_HQ_ALLOWED_HOSTS   comma-separated (default: localhost,127.0.0.1,[::1])
JISR_HQ_DEBUG           1 to turn Django's debug mode on (never in production)
JISR_HQ_CSRF_TRUSTED_ORIGINS  comma-separated origins for the admin behind HTTPS (https://hq.example.ma)
JISR_HQ_TOMBSTONE_DAYS  tombstone retention horizon used by purge-tombstones (default 180)
JISR_HQ_DB_POOL_MAX     PostgreSQL connections per worker process (default 10)
JISR_HQ_TLS_CERT        HQ's certificate, PEM (default: <home>/tls/cert.pem, from `jisr-hq tls-init`)
JISR_HQ_TLS_KEY         its private key, PEM, owner-only (default: <home>/tls/key.pem)
JISR_HQ_TLS_NEXT_PIN    sha256:… pin of the next key, announced to desktops before a rollover
JISR_HQ_BEHIND_PROXY    1 when a reverse proxy terminates TLS and sets X-Forwarded-Proto
JISR_HQ_PLAIN_HTTP      1 for plain HTTP on loopback (development, tests): no HTTPS redirect,
                        HSTS or secure cookies (docs/security.md)
JISR_HQ_HSTS_SECONDS    Strict-Transport-Security max-age (default one year)
JISR_HQ_TEST_HOOKS      1 turns on the test suite's hooks (jisr_hq/testhooks.py); refused
                        unless JISR_HQ_DEBUG is on too (see docs/hq.md)
JISR_HQ_QUOTA_*         per-device quotas of a push (docs/security.md, "Quotas and rate limits"):
                        OPS_PER_BATCH, BYTES_PER_BATCH, CONFLICTS_PER_BATCH, OPS_PER_DAY,
                        BYTES_PER_DAY, CONFLICTS_PER_DAY (0 = no bound)
JISR_HQ_ENROLL_ATTEMPTS enrollment attempts per client address per window (default 10)
JISR_HQ_ENROLL_WINDOW_SECONDS  that window (default 600)
JISR_HQ_GAP_WAIT_SECONDS  how long a pipelined batch waits for its predecessor (default 3)
JISR_HQ_AXES_FAILURES   failed admin sign-ins of one user name from one address before lockout (5)
JISR_HQ_AXES_COOLOFF_MINUTES  how long a lockout lasts (default 30; `jisr-hq axes_reset_username`)
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import jisr_protocol as protocol
from jisr_protocol.pins import normalise_pin


def _flag(name: str) -> bool:
    return os.environ.get(name, "") in {"1", "true", "yes"}


def _home() -> Path:
    home = Path(os.environ.get("JISR_HQ_HOME") or platformdirs.user_data_dir("jisr-hq"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def _secret_key(home: Path) -> str:
    """Use DJANGO_SECRET_KEY, else a key generated once and readable by the owner only."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    path = home / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _database(home: Path) -> dict[str, object]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{home / 'hq.sqlite3'}"
    # Under ASGI every request may run on a new thread, and a persistent connection per
    # thread would pile up until PostgreSQL refuses clients: close at the end of each request.
    db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock up front: concurrent pushes queue
        # instead of failing with "database is locked" halfway through a batch.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        db["CONN_MAX_AGE"] = 0
    elif db["ENGINE"] == "django.db.backends.postgresql":
        # A pool per worker process (psycopg_pool): a request borrows a connection and gives
        # it back instead of paying a new PostgreSQL backend each time. The API views give
        # it back as soon as their database work is done, before the answer is sent: Django
        # would keep it until the end of the request, and slow clients would then hold the
        # pool (at 100 desktops syncing at once, requests waited out the pool's timeout).
        # Allow workers × JISR_HQ_DB_POOL_MAX connections on the database server.
        options = dict(db.get("OPTIONS") or {})  # type: ignore[call-overload]
        # JIT compiles a query whose estimated cost is high (a push's id lookups, before the
        # statistics catch up) for tens of milliseconds: never worth it for these queries.
        options.setdefault("options", "-c jit=off")
        options.setdefault(
            "pool",
            {
                "min_size": 1,
                "max_size": int(os.environ.get("JISR_HQ_DB_POOL_MAX", "10")),
                "timeout": 30,
            },
        )
        db["OPTIONS"] = options
    return db


HOME = _home()
BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = _secret_key(HOME)
DEBUG = _flag("JISR_HQ_DEBUG")
JISR_HQ_TEST_HOOKS = _flag("JISR_HQ_TEST_HOOKS")
"""Fault injection and the like for the test suite (jisr_hq/testhooks.py); never in production."""
if JISR_HQ_TEST_HOOKS and not DEBUG:
    raise ImproperlyConfigured(
        "JISR_HQ_TEST_HOOKS is for the test suite only and needs JISR_HQ_DEBUG=1; "
        "unset it in production"
    )
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("JISR_HQ_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JISR_HQ_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
TOMBSTONE_DAYS = int(os.environ.get("JISR_HQ_TOMBSTONE_DAYS", "180"))
JISR_HQ_ZSTD = not _flag("JISR_HQ_NO_ZSTD")
"""zstd in answers and request bodies (docs/sync.md, "Compact transfers"); JISR_HQ_NO_ZSTD=1
makes HQ speak gzip only, as HQs before it did."""

# HTTPS (docs/security.md, "Deploying HQ with TLS"): `serve` uses the certificate when it exists.
JISR_HQ_TLS_CERT = os.environ.get("JISR_HQ_TLS_CERT") or str(HOME / "tls" / "cert.pem")
JISR_HQ_TLS_KEY = os.environ.get("JISR_HQ_TLS_KEY") or str(HOME / "tls" / "key.pem")
JISR_HQ_TLS_NEXT_PIN = os.environ.get("JISR_HQ_TLS_NEXT_PIN", "").strip()
if JISR_HQ_TLS_NEXT_PIN and normalise_pin(JISR_HQ_TLS_NEXT_PIN) is None:
    raise ImproperlyConfigured("JISR_HQ_TLS_NEXT_PIN must be sha256: and 64 hex digits")
JISR_HQ_BEHIND_PROXY = _flag("JISR_HQ_BEHIND_PROXY")
JISR_HQ_PLAIN_HTTP = _flag("JISR_HQ_PLAIN_HTTP")
"""Plain HTTP on loopback only (development, tests): the HTTPS-only settings below are off."""
if JISR_HQ_BEHIND_PROXY:
    # Trust the proxy's header: uvicorn must then listen on loopback only (docs/security.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not JISR_HQ_PLAIN_HTTP
SECURE_HSTS_SECONDS = 0 if JISR_HQ_PLAIN_HTTP else int(
    os.environ.get("JISR_HQ_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not JISR_HQ_PLAIN_HTTP
CSRF_COOKIE_SECURE = not JISR_HQ_PLAIN_HTTP
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    # First, so that its createsuperuser (password validators with --noinput too) wins.
    "jisr_hq.apps.JisrHqConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # admin and dashboard sign-in throttling and lockout (docs/security.md)
    "csp",
]

MIDDLEWARE = [
    "jisr_hq.middleware.ApiMiddleware",  # /api/ is served here, without the rest (see there)
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes): after JISR_HQ_AXES_FAILURES wrong passwords for one user
# name from one address, that pair is locked out for JISR_HQ_AXES_COOLOFF_MINUTES (the admin
# site and the dashboard alike). Unlock: `jisr-hq axes_reset_username NAME`, or delete the
# attempt in the admin site (Axes → Access attempts). Counts live in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("JISR_HQ_AXES_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("JISR_HQ_AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jisr_hq.lockout.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if _flag("JISR_HQ_BEHIND_PROXY") else ["REMOTE_ADDR"]
)
AXES_IPWARE_PROXY_COUNT = 1 if _flag("JISR_HQ_BEHIND_PROXY") else None

# Content-Security-Policy on every page (django-csp): the admin and the dashboard load their
# scripts and styles from HQ's own static files only; no inline script or style, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

ROOT_URLCONF = "jisr_hq.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ]
        },
    }
]
ASGI_APPLICATION = "jisr_hq.asgi.application"
DATABASES = {"default": _database(HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
"""Every path that creates an account checks these: the admin's forms, `createsuperuser`
(even with --noinput: jisr_hq/management/commands/createsuperuser.py) and `add-staff`."""

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"

# Quotas and rate limits (docs/security.md, "Quotas and rate limits"; jisr_hq/limits.py).
# The per-batch bounds default to the protocol's own; a bound of 0 is no bound.
JISR_HQ_QUOTAS = {
    "ops_per_batch": int(os.environ.get("JISR_HQ_QUOTA_OPS_PER_BATCH", protocol.MAX_OPS_PER_BATCH)),
    "bytes_per_batch": int(
        os.environ.get("JISR_HQ_QUOTA_BYTES_PER_BATCH", protocol.MAX_DECOMPRESSED_BYTES)),
    "conflicts_per_batch": int(os.environ.get("JISR_HQ_QUOTA_CONFLICTS_PER_BATCH", "1000")),
    "ops_per_day": int(os.environ.get("JISR_HQ_QUOTA_OPS_PER_DAY", "1000000")),
    "bytes_per_day": int(os.environ.get("JISR_HQ_QUOTA_BYTES_PER_DAY", str(1024 * 1024 * 1024))),
    "conflicts_per_day": int(os.environ.get("JISR_HQ_QUOTA_CONFLICTS_PER_DAY", "20000")),
}
JISR_HQ_ENROLL_ATTEMPTS = int(os.environ.get("JISR_HQ_ENROLL_ATTEMPTS", "10"))
JISR_HQ_ENROLL_WINDOW_SECONDS = int(os.environ.get("JISR_HQ_ENROLL_WINDOW_SECONDS", "600"))
JISR_HQ_GAP_WAIT_SECONDS = float(os.environ.get("JISR_HQ_GAP_WAIT_SECONDS", "3"))

# Raw bodies are bounded again (after gzip) by jisr_hq.bodies; this is the on-wire bound.
DATA_UPLOAD_MAX_MEMORY_SIZE = protocol.MAX_WIRE_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"jisr_hq": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
