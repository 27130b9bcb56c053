"""Diaodu settings, read from environment variables only.

The embedded default (no variables set) is a development run on a SQLite file under
``var/``. Setting ``DEBUG=false`` switches to production mode, which refuses to start with a
default secret or without ``ALLOWED_HOSTS``.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DIAODU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "diaodu-insecure-development-key-do-not-use-in-production"
# What Django's deploy check (security.W009) asks for, so a key accepted here passes it.
MIN_SECRET_KEY_LENGTH = 50
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH):
    raise ImproperlyConfigured(
        f"Production mode (DEBUG=false) needs SECRET_KEY set to a random value of "
        f"{MIN_SECRET_KEY_LENGTH}+ characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production mode (DEBUG=false) needs ALLOWED_HOSTS.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "diaodu.core.app_names.TasksConfig",
    "diaodu.core.app_names.AxesConfig",
    "csp",
    "diaodu.core",
    "diaodu.org",
    "diaodu.accounts",
    "diaodu.projects",
    "diaodu.problems",
    "diaodu.meetings",
    "diaodu.calendars",
    "diaodu.dashboard",
    "diaodu.notifications",
    "diaodu.reports",
    "diaodu.agreements",
    "diaodu.appeals",
    "diaodu.search",
    "diaodu.landing",
    "diaodu.inbox",
    "diaodu.sites",
    "diaodu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "diaodu.core.middleware.DatabaseUnavailableMiddleware",
    # Inside the 503 handler: the day's first request may find the database away.
    "diaodu.core.derived.FreshStateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a key belongs to the user who sent it.
    "diaodu.api.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "diaodu.core.replica.PinAfterWriteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled during login into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "diaodu.urls"
WSGI_APPLICATION = "diaodu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "diaodu.inbox.context.header",
                "diaodu.core.context.navigation",
            ],
            # Names from the data are shown through ``localized`` on every page.
            "builtins": ["diaodu.core.templatetags.names"],
        },
    },
]

# SQLite is the zero-install default. WAL and IMMEDIATE transactions keep concurrent
# writers from failing with "database is locked" in all but extreme cases.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def _database(url: str) -> dict:
    # Connections are kept for a minute and checked before reuse, so a database that went
    # away and came back is reconnected to without restarting the app.
    database = dj_database_url.parse(
        url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = _SQLITE_OPTIONS
    elif database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        # PostgreSQL's JIT spends far longer compiling the dashboard's aggregate queries
        # (~0.9 s at 10,000 projects) than running them (~85 ms); short OLTP queries never
        # gain from it.
        options["options"] = "-c jit=off"
        # A database host that vanishes without a word (power, network) would otherwise
        # hold each request for minutes of TCP retries instead of answering 503. Both can
        # be set in the URL (?connect_timeout=...&tcp_user_timeout=... in milliseconds).
        options.setdefault("connect_timeout", 5)
        options.setdefault("tcp_user_timeout", 10_000)
    return database


DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": _database(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "diaodu.sqlite3",
            "OPTIONS": _SQLITE_OPTIONS,
        }
    }
# A streaming standby of the primary: lists, dashboards and exports may read from it
# (diaodu/core/replica.py), except for a user who wrote within the last PIN_SECONDS.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    # Tests read and write one database: the standby mirrors it there.
    DATABASES["replica"] = {**_database(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["diaodu.core.replica.ReplicaRouter"]
DIAODU_REPLICA_PIN_SECONDS = env_int("DIAODU_REPLICA_PIN_SECONDS", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username and address before a password is
# even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["diaodu.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files in an S3-compatible object store (MinIO, Aliyun OSS, Tencent COS, ...), so
# that several app hosts share them. Files are still served through Diaodu's own download
# view, which checks who may see them: the bucket stays private.
DIAODU_S3_BUCKET = os.environ.get("DIAODU_S3_BUCKET", "")
if DIAODU_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DIAODU_S3_BUCKET,
            "endpoint_url": os.environ.get("DIAODU_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DIAODU_S3_REGION") or None,
            "access_key": os.environ.get("DIAODU_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("DIAODU_S3_SECRET_KEY") or None,
            "location": os.environ.get("DIAODU_S3_PREFIX", ""),
            "addressing_style": os.environ.get("DIAODU_S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }

# Redis, when there is one, holds the cache and (in front of the database) the sessions, so
# that any app host can serve any request quickly. Without it, sessions stay in the database,
# which every host shares as well.
# Redis going away must not take the pages with it: while Redis is unreachable, each cache
# call gives up after half a second and answers "not cached" (diaodu/core/cache.py), and
# sessions fall through to the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "diaodu.core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "diaodu",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "diaodu.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "diaodu.api.parsers.JSONParser",
        "diaodu.api.parsers.FormParser",
        "diaodu.api.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "diaodu.api.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Diaodu API",
    "DESCRIPTION": "Key-project dispatch and coordination: organisations, people, projects, "
    "milestones and progress reports. Every endpoint applies the same visibility and "
    "permission rules as the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The interactive page is served from packaged assets: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status"; name each choice set after its own model.
    "ENUM_NAME_OVERRIDES": {
        "ProblemStatusEnum": "diaodu.problems.choices.ProblemStatus",
        "ActionStatusEnum": "diaodu.problems.choices.ActionStatus",
        "ReportStatusEnum": "diaodu.projects.choices.ReportStatus",
        "MeetingStatusEnum": "diaodu.meetings.choices.MeetingStatus",
        "DeliveryStatusEnum": "diaodu.notifications.choices.DeliveryStatus",
        "LandingStageEnum": "diaodu.landing.choices.LandingStage",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Absolute links in e-mails and chat-robot posts, e.g. https://diaodu.example.gov.cn
DIAODU_SITE_URL = os.environ.get("DIAODU_SITE_URL", "").rstrip("/")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "diaodu@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)

# A milestone falling due within this many days without an actual date puts its project
# "at risk".
DIAODU_AT_RISK_DAYS = env_int("DIAODU_AT_RISK_DAYS", 14)
# Seconds to wait for a chat robot or webhook to answer before the attempt counts as failed
# (and is retried later). Deliveries run in the task worker, never in a page's request.
DIAODU_WEBHOOK_TIMEOUT = env_int("DIAODU_WEBHOOK_TIMEOUT", 10)
# Traffic lights of problems and action items: yellow when due within NEAR_DUE days or
# silent (no update or feedback) for SILENT days; red when overdue.
DIAODU_NEAR_DUE_DAYS = env_int("DIAODU_NEAR_DUE_DAYS", 3)
DIAODU_SILENT_DAYS = env_int("DIAODU_SILENT_DAYS", 7)
# Chasing: remind this many days before the due date; escalate to the responsible leader
# after this many days overdue.
DIAODU_REMIND_DAYS = env_int("DIAODU_REMIND_DAYS", 3)
DIAODU_ESCALATE_DAYS = env_int("DIAODU_ESCALATE_DAYS", 7)
# A Fernet key (`manage.py backup --new-key`): backups are encrypted with it when set, and
# restore needs it. Keep it apart from the backups.
DIAODU_BACKUP_KEY = os.environ.get("DIAODU_BACKUP_KEY", "")
# API tokens stop working this many days after they are issued.
DIAODU_TOKEN_DAYS = env_int("DIAODU_TOKEN_DAYS", 30)
DIAODU_MAX_UPLOAD_MB = env_int("DIAODU_MAX_UPLOAD_MB", 20)
# The largest ledger (.xlsx) an import accepts.
DIAODU_MAX_IMPORT_MB = env_int("DIAODU_MAX_IMPORT_MB", 20)
# What an uploaded .xlsx or .docx (a zip) may expand to before it is parsed: each part, and
# all parts together. A 20,000-row ledger's sheet is about 30 MB.
DIAODU_MAX_UNZIPPED_PART_MB = env_int("DIAODU_MAX_UNZIPPED_PART_MB", 100)
DIAODU_MAX_UNZIPPED_MB = env_int("DIAODU_MAX_UNZIPPED_MB", 200)
# Investment-agreement commitments (see diaodu/agreements/fulfilment.py): at risk when due
# within AT_RISK_DAYS days and not yet met, or when investment is more than TOLERANCE
# percent behind its pro-rata share; a broken department commitment opens a problem due
# PROBLEM_DAYS days later.
DIAODU_COMMITMENT_AT_RISK_DAYS = env_int("DIAODU_COMMITMENT_AT_RISK_DAYS", 30)
DIAODU_COMMITMENT_TOLERANCE = env_int("DIAODU_COMMITMENT_TOLERANCE", 20)
DIAODU_COMMITMENT_PROBLEM_DAYS = env_int("DIAODU_COMMITMENT_PROBLEM_DAYS", 15)
# Enterprise requests (企业诉求): the office triages each within this many (calendar) days
# of its raising; the due date is fixed when the request is raised.
DIAODU_APPEAL_TRIAGE_DAYS = env_int("DIAODU_APPEAL_TRIAGE_DAYS", 3)
# The map's base layer: an XYZ tile address such as
# https://t0.tianditu.gov.cn/vec_w/wmts?...&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}
# or an intranet tile server; {key} is replaced by DIAODU_TILE_KEY. Empty (the default): no
# base map, the zone boundary and the parcels on a plain background. DATUM is the tiles'
# datum: "wgs84" (Tianditu, CGCS2000) or "gcj02" (most commercial maps in China), which the
# browser converts the stored WGS-84 coordinates to.
DIAODU_TILE_URL = os.environ.get("DIAODU_TILE_URL", "")
DIAODU_TILE_KEY = os.environ.get("DIAODU_TILE_KEY", "")
DIAODU_TILE_DATUM = os.environ.get("DIAODU_TILE_DATUM", "wgs84")
if DIAODU_TILE_DATUM not in ("wgs84", "gcj02"):
    raise ImproperlyConfigured("DIAODU_TILE_DATUM must be wgs84 or gcj02.")
DIAODU_TILE_ATTRIBUTION = os.environ.get("DIAODU_TILE_ATTRIBUTION", "")
# A parcel whose area differs from its project's land area (亩) by more than this many
# percent is saved with a warning: one of the two is probably wrong.
DIAODU_PARCEL_AREA_TOLERANCE = env_int("DIAODU_PARCEL_AREA_TOLERANCE", 10)
# A zipped Shapefile may expand to at most this many MB (a zip bomb stops there).
DIAODU_MAX_UNZIPPED_MB = env_int("DIAODU_MAX_UNZIPPED_MB", 50)

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a promise to browser makers that cannot quickly be taken back, so it is
    # the operator's choice; the system check's reminder about it is silenced below.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe the health check over plain HTTP: a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_HTTPONLY = True
# A working day; a clerk who closes the browser is logged out.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Every script and style comes from Diaodu itself (the front-end libraries are vendored):
# no inline script, no eval, no third-party host. Inline style *attributes* stay allowed:
# bar widths and timeline positions are computed per row, and an attribute cannot run code.
# The base map's tiles are the one kind of image that may come from elsewhere.
# A "{s}" subdomain placeholder (t{s}.example.cn) becomes a wildcard.
_tiles = urlsplit(DIAODU_TILE_URL)
_TILE_HOSTS = [f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"] if DIAODU_TILE_URL else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        # Bootstrap draws checkboxes and select arrows as data: SVG images.
        "img-src": [SELF, "data:", *_TILE_HOSTS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Log-in throttling: after this many failures for one username from one address, that pair
# is refused for the cool-off time (a wrong password elsewhere does not lock out the user).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "diaodu.core.views.login_locked_out"
# Failures and lockouts are still logged, with username and address; this only drops the
# banner every command would print.
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "diaodu.core.middleware.client_ip"
# How many proxies (nginx, a load balancer) stand in front of Diaodu and append to
# X-Forwarded-For; 0 trusts no such header (a client could forge it).
DIAODU_PROXY_COUNT = env_int("DIAODU_PROXY_COUNT", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Exports (and imports) of more rows than this run as background jobs (``db_worker``);
# the page shows their progress and offers the file when it is ready.
DIAODU_BACKGROUND_ROWS = env_int("DIAODU_BACKGROUND_ROWS", 5000)
# Hours a background job's file is kept for its owner to download.
DIAODU_JOB_FILE_HOURS = env_int("DIAODU_JOB_FILE_HOURS", 24)
