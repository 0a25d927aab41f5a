"""Settings shared by every environment.

Every value that differs between machines comes from the environment through ``env``.
The defaults are the embedded demo: SQLite, no Redis, DEBUG on.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

DEMO_SECRET_KEY = "demo-insecure-secret-key-do-not-use-in-production"
# 32 random bytes, urlsafe base64: the demo key for encrypting resident ID numbers (MEM-4).
DEMO_ID_NUMBER_KEY = "ZGVtby1pZC1udW1iZXIta2V5LW5vdC1mb3ItcHJvZHVjdGk="

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default=DEMO_SECRET_KEY)
ID_NUMBER_KEY = env("ID_NUMBER_KEY", default=DEMO_ID_NUMBER_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def refuse_demo_secrets() -> None:
    """With DEBUG off the demo keys would let anyone forge sessions or decrypt ID numbers."""
    if SECRET_KEY == DEMO_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    if ID_NUMBER_KEY == DEMO_ID_NUMBER_KEY:
        raise ImproperlyConfigured("ID_NUMBER_KEY must be set in the environment when DEBUG is off.")


if not DEBUG:
    refuse_demo_secrets()

INSTALLED_APPS = [
    # Django's admin with the portal's site: the index's sections in the programme's order.
    "portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "treebeard",
    "portal.apps.AxesConfig",
    "csp",
    "pgtrigger",
    "django_celery_beat",
    "portal.apps.HistoryConfig",
    "portal",
    "membership",
    "uploads",
    "courses",
    "talent",
    "innovation",
    "reporting",
    "audit",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # The portal serves its own static files: it must work on an intranet with no CDN.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Item 16: the user and page of every change the database's audit triggers record.
    "audit.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lock-out raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A persistent connection outlives a database restart: check it at the start of each request,
# or every web worker answers its first request after the restart with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "membership.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "membership.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# The worker site's log-in lands on 我的学习; staff are sent on to the admin from there.
LOGIN_REDIRECT_URL = "courses:my_learning"

# Behind a TLS proxy every request comes from the proxy: the client is read from X-Forwarded-For
# only through this many trusted proxies, counted from the right (0: the app faces clients and the
# header is ignored). portal.client_address is the one function that reads it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Failed log-ins are counted per (username, address): one address guessing many accounts is
# slowed on each, and one account attacked from many addresses does not lock its owner out
# everywhere (MEM-2). portal.login_guard adds a lock on an address that fails for many user names
# (password spraying) and on a user name failing from many addresses, which its officer can reset.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_address"
AXES_HANDLER = "portal.login_guard.GuardedDatabaseHandler"
LOGIN_SPRAY_USERNAME_LIMIT = env.int("LOGIN_SPRAY_USERNAME_LIMIT", default=10)
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=30)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Without collectstatic (the demo, the tests) WhiteNoise serves straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # The embedded demo has no broker: tasks run in the calling process.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# EDU-1 (issue 13): the course menu's shared part is kept in the cache (courses/menu_cache.py);
# bench/course_menu.py turns it off to measure the page without it.
COURSE_MENU_CACHE = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A task whose process dies is given back to the broker and run again (UPL-2).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Uploads (UPL-4): refuse before parsing anything that could exhaust memory.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=100 * 1024 * 1024)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int("UPLOAD_MAX_UNCOMPRESSED_BYTES", default=1024 * 1024 * 1024)
UPLOAD_MAX_COMPRESSION_RATIO = env.int("UPLOAD_MAX_COMPRESSION_RATIO", default=200)
UPLOAD_MAX_ROWS = env.int("UPLOAD_MAX_ROWS", default=1_000_000)
UPLOAD_MAX_COLUMNS = env.int("UPLOAD_MAX_COLUMNS", default=200)
# Issue 6: what one cell (Excel's own limit) and one row may hold, in every format.
UPLOAD_MAX_CELL_CHARS = env.int("UPLOAD_MAX_CELL_CHARS", default=32_767)
UPLOAD_MAX_ROW_CHARS = env.int("UPLOAD_MAX_ROW_CHARS", default=1024 * 1024)
# An xlsx's table of distinct texts is held whole: about three a row of a 1,000,000-row roster.
UPLOAD_MAX_SHARED_STRINGS = env.int("UPLOAD_MAX_SHARED_STRINGS", default=4_000_000)
# An xlsx with a sheet of at least this many bytes of XML (about 4,000 rows of a roster) is read
# by a process of its own, on the other core (UPL-2, issue 13); -1: never.
UPLOAD_XLSX_PROCESS_BYTES = env.int("UPLOAD_XLSX_PROCESS_BYTES", default=1024 * 1024)
# Files above this size are read by a Celery worker while the page shows progress.
UPLOAD_BACKGROUND_BYTES = env.int("UPLOAD_BACKGROUND_BYTES", default=512 * 1024)
# Uploads that recover (UPL-2). The longest a preview or commit may run, in seconds (a
# 1,000,000-row roster takes a few minutes); the Celery task is stopped after it.
UPLOAD_TIME_LIMIT = env.int("UPLOAD_TIME_LIMIT", default=30 * 60)
# Redis gives an unacknowledged message to another worker after this many seconds; it must
# exceed the longest upload, or a running commit would be started a second time. It is also how
# long a message waits when its whole worker was killed.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": UPLOAD_TIME_LIMIT + 10 * 60}
# A running upload writes a heartbeat at most this often (seconds) …
UPLOAD_HEARTBEAT_SECONDS = env.int("UPLOAD_HEARTBEAT_SECONDS", default=10)
# … and the sweep fails it when the heartbeat has stopped this long and no process holds it.
UPLOAD_HEARTBEAT_TIMEOUT = env.int("UPLOAD_HEARTBEAT_TIMEOUT", default=5 * 60)
# A claim queued for a worker but never started is failed after this long (seconds): it may wait
# behind a backlog of long commits, so only a broker that lost the message explains a day.
UPLOAD_QUEUE_TIMEOUT = env.int("UPLOAD_QUEUE_TIMEOUT", default=24 * 60 * 60)
# Runs of one claim (redeliveries after a worker died) before the upload is failed.
UPLOAD_MAX_ATTEMPTS = 3
# How long a redelivered task waits for a dying run to let go of the upload (seconds).
UPLOAD_RUN_LOCK_WAIT = 10
# How long a commit waits for a row another district's commit is writing before it rejects
# that row (milliseconds); see uploads.pipeline.write_batch.
UPLOAD_LOCK_TIMEOUT_MS = env.int("UPLOAD_LOCK_TIMEOUT_MS", default=2000)
# Commits may wait for another commit of the same district: with a broker they always run in a
# Celery worker, never inside the request. The embedded demo (no broker) commits in the request.
UPLOAD_COMMIT_IN_BACKGROUND = env.bool("UPLOAD_COMMIT_IN_BACKGROUND", default=bool(REDIS_URL))
# REP-1: beat reads its schedule from the database (django-celery-beat), where the nightly indicator
# run (02:00 Asia/Shanghai, reporting migration 0002) is data staff can see and change in the admin;
# the entries below are copied there when beat starts.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The nightly indicator run's work_mem on PostgreSQL, for its transaction only (reporting.services).
# The trail's request context (audit/middleware.py) for the methods that change things. pghistory 3
# enters it for GET too, and then sends a set_config pair and a JSON dump in front of every
# statement of every page, though no GET or HEAD writes a tracked row: the course menu's one
# statement, the dashboards' four, an API page of 1,000 workers (issues 12 and 13: a tenth of the
# menu's uncached page, 2.73 -> 2.44 ms, same-process A/B; 8.98 -> 8.48 ms an API page).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
REPORTING_WORK_MEM = env("REPORTING_WORK_MEM", default="256MB")
# How many database connections the nightly run computes its formulas on (PostgreSQL runs each
# statement on one core; the run's values are still written by one transaction). One: no threads.
REPORTING_RUN_CONNECTIONS = env.int("REPORTING_RUN_CONNECTIONS", default=2)
CELERY_BEAT_SCHEDULE = {
    # Fail uploads whose process died, so that their page stops waiting (UPL-2).
    "uploads-sweep": {"task": "uploads.tasks.upload_sweep_task", "schedule": 60.0},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Issue 6: a file is stopped at its page's limit while it streams in (portal/upload_limits.py):
# UPLOAD_MAX_BYTES for spreadsheets and every other page, COURSEWARE_MAX_BYTES for courseware.
COURSEWARE_MAX_BYTES = env.int("COURSEWARE_MAX_BYTES", default=1024 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "portal.upload_limits.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# MEM-4: answers that an ID number is registered outside the asker's units, and searches by a full
# ID number, each user may get per day (a roster of one's own workers never counts).
ID_NUMBER_LOOKUPS_PER_DAY = env.int("ID_NUMBER_LOOKUPS_PER_DAY", default=20)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@bjzgh.org.cn")
# One-time codes for claiming a worker's account (EDU-8) go by SMS through this backend: the
# console one prints them (the demo); production names its gateway's subclass of
# portal.sms.backends.base.BaseSmsBackend.
SMS_BACKEND = env("SMS_BACKEND", default="portal.sms.backends.console.SmsBackend")
# Links in e-mails (reviewer notifications) point here.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# The library offers every format tablib can write; PyYAML (installed for drf-spectacular) would add
# YAML to the export page, which staff have no use for: spreadsheets, CSV/TSV, JSON and HTML only.
from import_export.formats import base_formats as _formats  # noqa: E402

IMPORT_EXPORT_FORMATS = [fmt for fmt in (_formats.CSV, _formats.XLS, _formats.XLSX, _formats.TSV, _formats.JSON, _formats.HTML)
                         if fmt.is_available()]
# uploads.spreadsheets.neutralise covers = + - @ tab and line breaks; the library only strips "=".
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# Issue 12: /api/v1/ — systems authenticate with a token (api.authentication), the portal's own
# pages with the session (CSRF enforced); rows scoped and permissions checked as in the admin (api.viewsets).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Per token (ApiToken.rate_per_minute), session users API_SESSION_RATE_PER_MINUTE: 429 + Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
}
# The portal's own pages (the dashboards' charts) call the API with the session: generous, but bounded.
API_SESSION_RATE_PER_MINUTE = env.int("API_SESSION_RATE_PER_MINUTE", default=1200)
# The bulk endpoints (api/bulk.py) run in the request like import_sheet: a request of this many rows
# stays within a proxy's timeout, and its JSON within DATA_UPLOAD_MAX_MEMORY_SIZE.
API_BULK_MAX_ROWS = env.int("API_BULK_MAX_ROWS", default=20_000)
SPECTACULAR_SETTINGS = {
    "TITLE": "首都职工素质建设工程 数据接口",
    "DESCRIPTION": "区县工会、企业系统与门户交换数据的接口。系统以令牌认证（请求头 Authorization: Token <令牌>），"
                   "只能读写令牌所属单位及其下级单位的数据。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read by a statement kept prepared (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"
X_FRAME_OPTIONS = "DENY"
# Every page of both sites (django-csp): scripts and styles only from the portal's own static
# files, never inline, so injected markup cannot run. Courseware files set their own sandbox
# (courses/courseware.py), which the middleware leaves alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
