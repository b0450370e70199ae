"""Guichet Export settings: one module, driven by the environment.

The defaults are what production runs (DEBUG off, secure cookies, HSTS, strict CSP); development
conveniences are opted into by `make demo` and the test runner through variables. Every variable
is listed in the README ("Configuration").
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str
from guichet.reference.facts import REGIONS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GUICHET_VAR_DIR", str(BASE_DIR / "var")))
# SIRENE stock files that administrators may import from the web: server paths must lie
# inside this directory, uploads are stored in its "uploads" folder (outside the web root).
GUICHET_IMPORT_DIR = Path(env_str("GUICHET_IMPORT_DIR", str(VAR_DIR / "imports")))
GUICHET_IMPORT_UPLOAD_MAX_MB = env_int("GUICHET_IMPORT_UPLOAD_MAX_MB", 1024, minimum=1)

DEBUG = env_bool("GUICHET_DEBUG", False)
SECRET_KEY = env_str("GUICHET_SECRET_KEY")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("GUICHET_SECRET_KEY must be at least 32 characters long.")
ALLOWED_HOSTS = env_list("GUICHET_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("GUICHET_CSRF_TRUSTED_ORIGINS", [])

# The operating region (INSEE code) and its name as shown in the header.
GUICHET_REGION = env_str("GUICHET_REGION", "27")
if GUICHET_REGION not in REGIONS:
    raise ImproperlyConfigured(
        f"GUICHET_REGION={GUICHET_REGION!r} is not an INSEE région code "
        f"(one of {', '.join(sorted(REGIONS))})."
    )
GUICHET_REGION_NAME = env_str("GUICHET_REGION_NAME", REGIONS[GUICHET_REGION])
GUICHET_PLATFORM_NAME = env_str("GUICHET_PLATFORM_NAME", "Guichet Export")
GUICHET_OPERATOR_NAME = env_str("GUICHET_OPERATOR_NAME", "[Nom de l'opérateur de la plateforme]")
GUICHET_OPERATOR_ADDRESS = env_str("GUICHET_OPERATOR_ADDRESS", "[Adresse postale de l'opérateur]")
GUICHET_BASE_URL = env_str("GUICHET_BASE_URL", "http://127.0.0.1:8000")
GUICHET_CONTACT_EMAIL = env_str("GUICHET_CONTACT_EMAIL", "[adresse de contact]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram lookups of the registry search (inert on SQLite)
    "dsfr",
    "widget_tweaks",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "guichet.core",
    "guichet.reference",
    "guichet.partners",
    "guichet.companies",
    "guichet.journeys",
    "guichet.desk",
    "guichet.offers",
    "guichet.diagnostics",
    "guichet.stateaid",
    "guichet.aids",
    "guichet.vie",
    "guichet.collective",
    "guichet.markets",
    "guichet.plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "guichet.core.middleware.NulByteGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "guichet.core.middleware.GuichetLoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "guichet.partners.middleware.SecondFactorMiddleware",
    "guichet.core.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "guichet.core.context_processors.platform",
            ],
        },
    }
]

# --- Database ------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db))}
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from None
_engine = DATABASES["default"]["ENGINE"]
if _engine == "django.db.backends.sqlite3":
    # IMMEDIATE transactions + busy timeout: concurrent writers (web + worker) wait, not fail.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("GUICHET_SQLITE_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _engine == "django.db.backends.postgresql":
    _timeout_ms = env_int("GUICHET_DB_STATEMENT_TIMEOUT_MS", 30000, minimum=0)
    DATABASES["default"].setdefault("OPTIONS", {})
    # JIT compilation pays off for long analytical queries, not for the short queries of a web
    # page (it added hundreds of milliseconds to registry counts); random_page_cost 1.1 tells
    # the planner that index lookups on SSD storage are cheap.
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={_timeout_ms} -c jit=off -c random_page_cost=1.1"
    )
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("GUICHET_DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ------------------------------------------------------------------------
AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "partners:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "partners:login"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Login throttling: after GUICHET_LOGIN_FAILURE_LIMIT wrong passwords for one account, the
# account is locked for GUICHET_LOGIN_LOCKOUT_MINUTES (django-axes).
AXES_FAILURE_LIMIT = env_int("GUICHET_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("GUICHET_LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "guichet.partners.views.auth.lockout_response"
AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_IPWARE_PROXY_COUNT = env_int("GUICHET_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "guichet.core.http.client_ip"

OTP_TOTP_ISSUER = GUICHET_PLATFORM_NAME

# --- Security defaults (production values; `make demo` and tests relax them explicitly) ----
_secure = env_bool("GUICHET_SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("GUICHET_SESSION_HOURS", 10, minimum=1) * 3600
SECURE_SSL_REDIRECT = env_bool("GUICHET_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("GUICHET_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("GUICHET_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background tasks ----------------------------------------------------------------------
_tasks_backend = env_choice("GUICHET_TASKS_BACKEND", "database", {"database", "immediate"})
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[_tasks_backend],
        "QUEUES": ["default"],
    }
}

# --- E-mail --------------------------------------------------------------------------------
_email = env_choice("GUICHET_EMAIL_BACKEND", "smtp", {"smtp", "console", "locmem"})
EMAIL_BACKEND = f"django.core.mail.backends.{_email}.EmailBackend"
EMAIL_HOST = env_str("GUICHET_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("GUICHET_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("GUICHET_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("GUICHET_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GUICHET_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("GUICHET_FROM_EMAIL", "Guichet Export <ne-pas-repondre@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("GUICHET_STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded documents (aid applications, payment proofs, decision letters): outside the web
# root, only streamed by views that check permissions.
GUICHET_PRIVATE_DIR = Path(env_str("GUICHET_PRIVATE_DIR", str(VAR_DIR / "private")))
GUICHET_DOCUMENT_MAX_MB = env_int("GUICHET_DOCUMENT_MAX_MB", 10, minimum=1)
# Market data (capability 9): Parquet files read by DuckDB, the computations' cache, load
# reports. DuckDB gets a bounded share of the machine; it spills to disk past the limit.
GUICHET_MARKETS_DIR = Path(env_str("GUICHET_MARKETS_DIR", str(VAR_DIR / "markets")))
GUICHET_MARKETS_THREADS = env_int("GUICHET_MARKETS_THREADS", 2, minimum=1)
GUICHET_MARKETS_MEMORY_MB = env_int("GUICHET_MARKETS_MEMORY_MB", 4096, minimum=256)
# Largest trade file accepted through the web upload (a BACI year is ~400 MB of CSV; larger
# files are loaded from a server path or with manage.py load_trade).
GUICHET_MARKETS_UPLOAD_MAX_MB = env_int("GUICHET_MARKETS_UPLOAD_MAX_MB", 1024, minimum=1)
GUICHET_MARKETS_IMPORT_DIR = Path(
    env_str("GUICHET_MARKETS_IMPORT_DIR", str(VAR_DIR / "markets" / "incoming"))
)
# var/ holds the SQLite database, collected static files and uploads: create it on first start.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- API -----------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GUICHET_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every PDF at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DSFR_MARK_OPTIONAL_FIELDS = True
