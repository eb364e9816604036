"""Ostoja's one settings module, driven by the environment (README: "Production").

``OSTOJA_ENV`` picks the mode:

* ``development`` (default): what ``make run`` and the tests use — SQLite under ``var/``,
  the embedded task queue, a development secret kept in ``var/``, ``DEBUG`` on.
* ``production``: every secret must be given, PostgreSQL and Redis are expected, cookies
  are ``Secure`` and ``__Host-`` prefixed, HSTS is on. A missing or invalid value stops the
  process at start-up (``ostoja.lib.env``).
"""

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.keys import (
    KeyMaterialError,
    check_distinct,
    generate_key,
    parse_key,
    parse_keyring,
)
from ostoja.lib.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("OSTOJA_VAR_DIR", str(BASE_DIR / "var")))

ENV = env_choice("OSTOJA_ENV", "development", ("development", "production"))
PRODUCTION = ENV == "production"
DEBUG = env_bool("OSTOJA_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("OSTOJA_DEBUG cannot be on in production")


if not PRODUCTION:
    # The embedded default keeps everything it writes (the database, the task store, keys,
    # sealed files, the demo's mail) readable by its owner only. (In production the
    # service's own umask does this: deploy/.)
    os.umask(0o077)


def _development_secret(name: str, make: Callable[[], str]) -> str:
    """A random secret kept in ``var/`` so that a restarted demo keeps its sessions and can
    read what it encrypted. Created atomically: processes starting together agree."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        draft = VAR_DIR / f".{name}.{os.getpid()}"
        draft.write_text(make(), encoding="utf-8")
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)  # atomic; the first process to get here wins
        draft.unlink()
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_secret("OSTOJA_SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("OSTOJA_SECRET_KEY (or OSTOJA_SECRET_KEY_FILE) is required")
    SECRET_KEY = _development_secret("secret_key", lambda: secrets.token_urlsafe(64))
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("OSTOJA_SECRET_KEY must be at least 50 characters long")


# --- Keys of the data protection layer (ostoja.lib.crypto.keys) ----------------------------
def _key_setting(name: str, *, ring: bool) -> str:
    value = env_secret(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) is required in production")
    return _development_secret(name.lower(), lambda: ("1:" if ring else "") + generate_key())


try:
    _texts = {
        name: _key_setting(name, ring=name == "OSTOJA_FIELD_KEYS")
        for name in ("OSTOJA_FIELD_KEYS", "OSTOJA_INDEX_KEY", "OSTOJA_AUDIT_KEY")
    }
    FIELD_KEYS = parse_keyring("OSTOJA_FIELD_KEYS", _texts["OSTOJA_FIELD_KEYS"])
    INDEX_KEY = parse_key("OSTOJA_INDEX_KEY", _texts["OSTOJA_INDEX_KEY"])
    AUDIT_KEY = parse_key("OSTOJA_AUDIT_KEY", _texts["OSTOJA_AUDIT_KEY"])
    check_distinct(
        SECRET_KEY,
        {
            "OSTOJA_INDEX_KEY": (_texts["OSTOJA_INDEX_KEY"], INDEX_KEY),
            "OSTOJA_AUDIT_KEY": (_texts["OSTOJA_AUDIT_KEY"], AUDIT_KEY),
        }
        | {
            f"OSTOJA_FIELD_KEYS key {key_id}": (_texts["OSTOJA_FIELD_KEYS"], key)
            for key_id, key in FIELD_KEYS.items()
        },
    )
except KeyMaterialError as error:
    raise ImproperlyConfigured(str(error)) from None

# Uploaded documents: sealed, outside any URL (ostoja.lib.crypto.files).
PRIVATE_FILES_ROOT = Path(env_str("OSTOJA_FILES_DIR", str(VAR_DIR / "files")))
UPLOAD_MAX_BYTES = 2**20 * env_int("OSTOJA_UPLOAD_MAX_MB", 20, minimum=1, maximum=200)

ALLOWED_HOSTS = env_list("OSTOJA_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("OSTOJA_ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("OSTOJA_CSRF_TRUSTED_ORIGINS", [])
# The address staff use, for links in e-mails (invitations, notifications).
BASE_URL = env_str("OSTOJA_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
if PRODUCTION and not BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("OSTOJA_BASE_URL must be an https:// address in production")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 dist files, served by us
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "huey.contrib.djhuey",
    "ostoja.accounts",
    "ostoja.audit",
    "ostoja.helpline",
    "ostoja.people",
    "ostoja.duty",
    "ostoja.cases",
    "ostoja.identification",
    "ostoja.interventions",
    "ostoja.prevention",
    "ostoja.portal",
    "ostoja.network",
    "ostoja.shelter",
    "ostoja.reports",
    "ostoja.privacy",
    "ostoja.home",
    "ostoja.demo",
]
# No django.contrib.admin: users and roles are managed in Ostoja's own UI, and an admin
# site over client data is exactly the surface the access policy exists to remove.

MIDDLEWARE = [
    # First: the public portal's requests lose the visitor's address, user agent, referrer
    # and every cookie but CSRF before anything else reads them (ostoja/portal/privacy.py).
    "ostoja.portal.privacy.PortalMiddleware",
    # Each request's time by view, for Prometheus (ostoja.lib.metrics; no path, no label
    # with personal data).
    "ostoja.lib.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ostoja.audit.middleware.AuditMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ostoja.home.middleware.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Each request's id and user code on every log record, and one line per request.
    "ostoja.lib.logs.RequestLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Default-deny: every view needs a signed-in user unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ostoja.accounts.middleware.SessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "ostoja.accounts.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ostoja.home.middleware.PrivateResponseMiddleware",
]

ROOT_URLCONF = "ostoja.urls"
WSGI_APPLICATION = "ostoja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ostoja.home.context_processors.shell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ostoja.sqlite3'}")
try:
    # Health checks: a connection that died with the database (a restart, a failover) is
    # replaced before a request uses it, instead of failing that request (test_faults.py).
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not valid: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if PRODUCTION:
        raise ImproperlyConfigured("Production needs PostgreSQL: set DATABASE_URL")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the task worker and the web process work side by side. secure_delete: what
    # is deleted or overwritten (an anonymised value's ciphertext) is zeroed in the file,
    # not left in its free pages (issue #19).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; "
        "PRAGMA secure_delete=ON;",
    }
    # Tests run on a file too, not Django's shared in-memory database: the browser tests'
    # live server then serves each request on its own connection, as `make run` does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks ---------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    # Throttling counters and used-TOTP markers must be shared by every app process.
    raise ImproperlyConfigured("Production needs Redis: set REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TASK_QUEUE = env_choice(
    "OSTOJA_TASK_QUEUE", "redis" if PRODUCTION else "embedded", ("embedded", "redis")
)
if TASK_QUEUE == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("OSTOJA_TASK_QUEUE=redis needs REDIS_URL")
HUEY = {
    "name": "ostoja",
    "immediate": False,
    "utc": True,
    "results": True,  # kept for tasks that answer (see `manage.py tasks_ping`)
    "store_none": False,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
    **(
        {"huey_class": "ostoja.lib.queue.RedisHuey", "url": REDIS_URL}
        if TASK_QUEUE == "redis"
        else {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "tasks.sqlite3")}
    ),
}
if TASK_QUEUE == "embedded":
    VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 6.2.1: at least 8, and we ask for 12; 6.2.9: up to 128 allowed by the form.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # ASVS 6.2.4: 19,640 common passwords (SECURITY.md §0).
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:dashboard"
# ASVS 6.4.1: an invitation (set-your-password link) expires within a day.
PASSWORD_RESET_TIMEOUT = 24 * 3600

ACCOUNT_ADAPTER = "ostoja.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # staff e-mail is vouched for by the administrator
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = False
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # never mail strangers who type an address
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # the user stays in; other sessions end (below)
ACCOUNT_EMAIL_NOTIFICATIONS = True  # ASVS 6.3.7: tell users when their credentials change
ACCOUNT_REAUTHENTICATION_TIMEOUT = 60 * env_int("OSTOJA_SUDO_MINUTES", 5, minimum=1, maximum=60)
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# ASVS 6.3.1: per-address and per-account limits; failures for an unknown address count the
# same way, so the lock-out itself reveals nothing.
LOGIN_ATTEMPTS = env_int("OSTOJA_LOGIN_ATTEMPTS", 5, minimum=1)
LOCKOUT_SECONDS = 60 * env_int("OSTOJA_LOCKOUT_MINUTES", 15, minimum=1)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{LOGIN_ATTEMPTS}/{LOCKOUT_SECONDS}s/key",
    "reset_password": "20/m/ip,3/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ostoja] "

MFA_ADAPTER = "ostoja.accounts.adapter.MfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False  # passkeys are a second factor here, after the password
MFA_TOTP_ISSUER = env_str("OSTOJA_TOTP_ISSUER", "Ostoja")
MFA_TOTP_TOLERANCE = 1  # one 30 s step of clock drift; each code still works only once
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION  # http://127.0.0.1 for the demo
MFA_RECOVERY_CODE_COUNT = 10

# "Last seen" on the Sessions page is kept by ``accounts.middleware`` at most every 15 s,
# not by allauth on every request (a write per request held SQLite's lock for nothing).
USERSESSIONS_TRACK_ACTIVITY = False
# How long a break-the-glass opening of a record lasts (ostoja.accounts.policy).
BREAK_GLASS_MINUTES = env_int("OSTOJA_BREAK_GLASS_MINUTES", 60, minimum=5, maximum=24 * 60)

# ASVS 7.3.1/7.3.2: idle and absolute session limits (README: "Sessions").
SESSION_IDLE_TIMEOUT = 60 * env_int("OSTOJA_IDLE_TIMEOUT_MINUTES", 15, minimum=1, maximum=720)
SESSION_COOKIE_AGE = 3600 * env_int("OSTOJA_SESSION_MAX_HOURS", 12, minimum=1, maximum=24)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ostoja.home.views.csrf_failure"

# --- Security headers ---------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# security.W003 looks for Django's CSRF middleware by its name; ours is a subclass that
# works with Referrer-Policy: no-referrer (ostoja.home.middleware), and check ostoja.E001
# stands in for W003. models.W040: a covering index (``INCLUDE``, the matcher's key lookup) is
# for PostgreSQL, the production database; SQLite builds the same index without the extra
# column, which is all the embedded default needs.
SILENCED_SYSTEM_CHECKS = ["security.W003", "models.W040"]
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # data: for the TOTP QR code allauth renders
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# TLS ends at a reverse proxy on this machine, which names the scheme and the client's
# address (X-Forwarded-Proto, X-Forwarded-For: ostoja.wsgi, ostoja.lib.proxy).
BEHIND_PROXY = PRODUCTION and env_bool("OSTOJA_BEHIND_PROXY", True)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("OSTOJA_SSL_REDIRECT", True)
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The monitoring on the server asks the application itself, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$", r"^metrics/$"]
    SECURE_HSTS_SECONDS = 31_536_000  # ASVS 3.4.1: one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # ASVS 3.3.1/3.3.3: __Host- cookies are bound to this host, path / and HTTPS.
    SESSION_COOKIE_NAME = "__Host-ostoja-session"
    CSRF_COOKIE_NAME = "__Host-ostoja-csrf"
else:
    SESSION_COOKIE_NAME = "ostoja-session"
    CSRF_COOKIE_NAME = "ostoja-csrf"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_SMTP_HOST = env_str("OSTOJA_EMAIL_HOST", "")
if EMAIL_SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_SMTP_HOST,
                "port": env_int("OSTOJA_EMAIL_PORT", 587, minimum=1, maximum=65535),
                "username": env_str("OSTOJA_EMAIL_USER", ""),
                "password": env_secret("OSTOJA_EMAIL_PASSWORD") or "",
                "use_tls": env_bool("OSTOJA_EMAIL_STARTTLS", True),
                "use_ssl": env_bool("OSTOJA_EMAIL_TLS", False),
                "timeout": 30,
            },
        }
    }
elif PRODUCTION:
    raise ImproperlyConfigured("Production needs OSTOJA_EMAIL_HOST to send invitations")
else:
    # The demo writes e-mails as files under var/mail instead of sending them.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = env_str("OSTOJA_FROM_EMAIL", "ostoja@localhost")

# The helpline's mailbox, read every two minutes (ostoja.helpline.tasks.fetch_mail).
IMAP_HOST = env_str("OSTOJA_IMAP_HOST", "")
IMAP_PORT = env_int("OSTOJA_IMAP_PORT", 993, minimum=1, maximum=65535)
IMAP_TLS = env_bool("OSTOJA_IMAP_TLS", True)
IMAP_USER = env_str("OSTOJA_IMAP_USER", "")
IMAP_PASSWORD = env_secret("OSTOJA_IMAP_PASSWORD") or ""
IMAP_FOLDER = env_str("OSTOJA_IMAP_FOLDER", "INBOX")
IMAP_ORGANISATION = env_str("OSTOJA_IMAP_ORGANISATION", "KCIK")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Warsaw"
LANGUAGE_COOKIE_NAME = "ostoja-language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where `collectstatic` puts them, for the proxy to serve (deploy/Caddyfile).
STATIC_ROOT = Path(env_str("OSTOJA_STATIC_DIR", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Logging: no personal data in logs (ostoja.lib.logs; README "Deployment": "Logs") -------
LOG_FORMAT = env_choice("OSTOJA_LOG_FORMAT", "json" if PRODUCTION else "plain", ("plain", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s"
        },
        "json": {"()": "ostoja.lib.logs.json_formatter"},
    },
    "filters": {
        # A portal request's log record carries no request object (ostoja/portal/privacy.py).
        "portal": {"()": "ostoja.portal.privacy.PortalLogFilter"},
        "context": {"()": "ostoja.lib.logs.ContextFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context", "portal"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("OSTOJA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "huey": {"level": "WARNING"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- The public portal (ostoja.portal; ARCHITECTURE.md §4, SECURITY.md §2) -----------------
# The organisation whose helpline the portal presents (its short code; the first if unset),
# the numbers and e-mail it shows, and the neutral site the quick exit goes to.
OSTOJA_PORTAL_ORGANISATION = env_str("OSTOJA_PORTAL_ORGANISATION", "")
OSTOJA_PORTAL_PHONES = env_list("OSTOJA_PORTAL_PHONES", ["+48 22 628 01 20", "+48 22 628 99 99"])
OSTOJA_PORTAL_EMAIL = env_str("OSTOJA_PORTAL_EMAIL", "info@kcik.pl")
OSTOJA_PORTAL_EXIT_URL = env_str("OSTOJA_PORTAL_EXIT_URL", "https://www.bbc.com/weather")

# --- Telephony (ostoja.helpline.telephony; ARCHITECTURE.md §7) -------------------------------
# The generic webhook's HMAC-SHA256 secret and Twilio's auth token: unset, the webhook and the
# Twilio adapter refuse every request (403).
OSTOJA_TELEPHONY_SECRET = env_secret("OSTOJA_TELEPHONY_SECRET") or ""
OSTOJA_TWILIO_AUTH_TOKEN = env_secret("OSTOJA_TWILIO_AUTH_TOKEN") or ""
# Which organisation answers each called number: "+48221234567=KCIK,+48800100100=KCIK".
# Unset (or a number not listed), the calls go to the first organisation.
OSTOJA_TELEPHONY_LINES: dict[str, str] = {}
for _pair in env_list("OSTOJA_TELEPHONY_LINES", []):
    _number, _sep, _short_code = _pair.partition("=")
    if not _sep or not _number.strip() or not _short_code.strip():
        raise ImproperlyConfigured(f"OSTOJA_TELEPHONY_LINES: give number=CODE, not {_pair!r}")
    OSTOJA_TELEPHONY_LINES[_number.strip()] = _short_code.strip()
# The counsellors' queue in office hours, and how long the duty phone rings before the backup.
OSTOJA_TELEPHONY_QUEUE = env_str("OSTOJA_TELEPHONY_QUEUE", "counsellors")
# How often a counsellor's page asks whether a call they answered waits for its screen
# (seconds; 0 turns the pop-up off).
OSTOJA_INCOMING_POLL_SECONDS = env_int("OSTOJA_INCOMING_POLL_SECONDS", 5, minimum=0, maximum=60)
OSTOJA_TELEPHONY_DIAL_TIMEOUT = env_int("OSTOJA_TELEPHONY_DIAL_TIMEOUT", 20, minimum=5, maximum=120)
# --- end of telephony ---------------------------------------------------------------------

# --- 24/7 intervention: escalation and notifications (issue "24/7 intervention") ----------
# ostoja.interventions.notify / .escalation / .tasks / .webhooks; ARCHITECTURE.md §6–7.
# The HTTP SMS gateway: JSON POSTs signed with HMAC-SHA256 (X-Ostoja-Timestamp,
# X-Ostoja-Signature); its delivery-status callbacks are signed the same way. Without a URL
# no SMS is sent (e-mail only).
OSTOJA_SMS_GATEWAY_URL = env_str("OSTOJA_SMS_GATEWAY_URL", "")
OSTOJA_SMS_GATEWAY_SECRET = env_secret("OSTOJA_SMS_GATEWAY_SECRET") or ""
OSTOJA_SMS_GATEWAY_TIMEOUT = env_int("OSTOJA_SMS_GATEWAY_TIMEOUT", 10, minimum=1, maximum=60)
if OSTOJA_SMS_GATEWAY_URL and not OSTOJA_SMS_GATEWAY_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("OSTOJA_SMS_GATEWAY_URL must be an http(s):// address")
if PRODUCTION and OSTOJA_SMS_GATEWAY_URL and not OSTOJA_SMS_GATEWAY_URL.startswith("https://"):
    raise ImproperlyConfigured("OSTOJA_SMS_GATEWAY_URL must be an https:// address in production")
if OSTOJA_SMS_GATEWAY_URL and len(OSTOJA_SMS_GATEWAY_SECRET) < 32:
    raise ImproperlyConfigured("OSTOJA_SMS_GATEWAY_SECRET must be at least 32 characters long")
# A notification still waiting this long after its last due attempt is enqueued again by
# the every-minute check (lost between commit and enqueue, or its worker was killed).
OSTOJA_NOTIFY_RESEND_AFTER_SECONDS = env_int("OSTOJA_NOTIFY_RESEND_AFTER_SECONDS", 60, minimum=10)
# A worker killed while holding a task lock (the every-minute check) would hold it forever.
# The SQLite store has no lock expiry, and one machine runs one worker process: locks are
# cleared when it starts. On Redis, where several workers share the locks, a starting worker
# clears none and each lock expires after OSTOJA_TASK_LOCK_SECONDS (ostoja.lib.queue).
HUEY["consumer"]["flush_locks"] = TASK_QUEUE == "embedded"  # type: ignore[index]
OSTOJA_TASK_LOCK_SECONDS = env_int("OSTOJA_TASK_LOCK_SECONDS", 900, minimum=60)
# --- end of 24/7 intervention --------------------------------------------------------------

# --- Audit trail checkpoints (ostoja.audit.checkpoints; README "Data protection") ----------
# The chain's head, signed, appended every hour to checkpoints.jsonl in this directory
# (created 0700, the file 0600): better on another volume, or copied off the server.
OSTOJA_AUDIT_CHECKPOINT_DIR = Path(
    env_str("OSTOJA_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints"))
)
# And every day to each DPO by e-mail: on in production, where the mailbox is the copy an
# attacker on the server cannot reach; off in development, where mail goes to var/mail.
OSTOJA_AUDIT_CHECKPOINT_MAIL = env_bool("OSTOJA_AUDIT_CHECKPOINT_MAIL", PRODUCTION)
# --- end of audit trail checkpoints ---------------------------------------------------------

# --- Readiness (/ready/; ostoja.home.readiness; README "Deployment") -----------------------
# Where deploy/backup.sh keeps the backups (its LATEST marks the last complete one); unset,
# the backup check fails in production and is skipped in development.
OSTOJA_BACKUP_DIR = env_str("OSTOJA_BACKUP_DIR", "")
OSTOJA_BACKUP_MAX_AGE_HOURS = env_int("OSTOJA_BACKUP_MAX_AGE_HOURS", 26, minimum=1)
OSTOJA_READY_MIN_FREE_MB = env_int("OSTOJA_READY_MIN_FREE_MB", 1024, minimum=0)
OSTOJA_READY_MAX_QUEUE = env_int("OSTOJA_READY_MAX_QUEUE", 500, minimum=1)
# The TLS certificate: "url" checks the one served for OSTOJA_BASE_URL's host (production's
# default), a path reads a PEM file (e.g. in Caddy's storage), "" skips the check
# (development's default); it must stay valid for more than OSTOJA_READY_CERT_DAYS.
OSTOJA_READY_CERT = env_str("OSTOJA_READY_CERT", "url" if PRODUCTION else "")
OSTOJA_READY_CERT_DAYS = env_int("OSTOJA_READY_CERT_DAYS", 14, minimum=1)
