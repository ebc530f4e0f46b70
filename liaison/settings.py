"""The one settings module. Everything that differs between machines comes from the environment;
every variable is documented in `.env.example` and the README."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from liaison.core.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_path,
    env_prefixed,
    env_str,
    tile_origins,
)

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = env_path("LIAISON_VAR_DIR", BASE_DIR.parent / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start without it; set DEBUG=1 for a "
            "local development server."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute base of the public URLs that QR codes encode. It must not change once signs are printed.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Demo mode shows demo logins on the login page (and later: one-time codes on screen).
DEMO_MODE = env_bool("LIAISON_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "liaison.core",
    "liaison.accounts",
    "liaison.directory",
    "liaison.notifications",
    "liaison.workdays",
    "liaison.triage",
    "liaison.cases",
    "liaison.receptions",
    "liaison.appointments",
    "liaison.activities",
    "liaison.records",
    "liaison.suggestions",
    "liaison.clues",
    "liaison.projects",
    "liaison.legislation",
    "liaison.budget",
    "liaison.stats",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "liaison.api",
    "liaison.open311",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "liaison.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a session saved on the way out counts as a write (read-your-writes).
    "liaison.core.dbrouter.ReplicaStickinessMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liaison.core.middleware.ChineseFirstLocaleMiddleware",
    "liaison.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "liaison.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a lockout signalled during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

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
                "liaison.core.context_processors.display_preferences",
                "liaison.workdays.context_processors.calendar_warnings",
                "liaison.notifications.context_processors.unread_notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'liaison.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web server and worker) share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Read replicas (docs/scaling.md): PostgreSQL streaming replicas of DATABASE_URL, comma-separated,
# as aliases replica_0, replica_1, … Dashboards, public pages and exports read from them
# (liaison/core/dbrouter.py); everything else, and every write, uses the primary. After a person
# wrote, their browser reads the primary for LIAISON_REPLICA_STICKY_SECONDS (read-your-writes).
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
LIAISON_REPLICA_STICKY_SECONDS = env_int("LIAISON_REPLICA_STICKY_SECONDS", 5)
if DATABASE_REPLICA_URLS and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL: SQLite has no replicas."
    )
for _number, _url in enumerate(DATABASE_REPLICA_URLS):
    DATABASES[f"replica_{_number}"] = dj_database_url.parse(
        _url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    # A test run creates no database on a replica: the alias uses the primary's test database.
    DATABASES[f"replica_{_number}"]["TEST"] = {"MIRROR": "default"}
LIAISON_REPLICA_DATABASES = [f"replica_{number}" for number in range(len(DATABASE_REPLICA_URLS))]
DATABASE_ROUTERS = ["liaison.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out account or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "liaison.accounts.backends.AccountBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "directory:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# liaison/static is the project's own (site.css, nearby.js); liaison/ itself is not an app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Serve uploaded files from Django itself; in production a front web server usually does it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: photos are re-encoded, so the limit is about the upload, not the stored file.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# A TrueType font with Chinese glyphs to embed in printed PDFs. Empty: the first installed of the
# known fonts (liaison/directory/signs.py, PDF_FONT_CANDIDATES); STSong-Light only as a last resort.
PDF_FONT_PATH = env_str("LIAISON_PDF_FONT", "")

# Notifications: "console" writes to the log, "file" appends JSON lines to NOTIFICATIONS_FILE.
# Each channel may take another backend (docs/notifications.md): SMS through a gateway
# ("tencentcloud", "aliyun"), e-mail through Django's EMAIL_BACKEND ("django").
NOTIFICATIONS_BACKEND = env_str("NOTIFICATIONS_BACKEND", "console")
SMS_BACKEND = env_str("LIAISON_SMS_BACKEND")  # empty: NOTIFICATIONS_BACKEND
EMAIL_NOTIFICATIONS_BACKEND = env_str("LIAISON_EMAIL_BACKEND")  # empty: NOTIFICATIONS_BACKEND
# Django's own mail settings, for LIAISON_EMAIL_BACKEND=django.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SMS_SECRET_ID = env_str("LIAISON_SMS_SECRET_ID")
SMS_SECRET_KEY = env_str("LIAISON_SMS_SECRET_KEY")
SMS_SIGN_NAME = env_str("LIAISON_SMS_SIGN_NAME")  # 短信签名, approved by the gateway
SMS_APP_ID = env_str("LIAISON_SMS_APP_ID")  # Tencent Cloud's SmsSdkAppId
SMS_REGION = env_str("LIAISON_SMS_REGION", "ap-guangzhou")  # Tencent Cloud's region
SMS_ENDPOINT = env_str("LIAISON_SMS_ENDPOINT")  # e.g. http://127.0.0.1:9000; empty: the SDK default
SMS_TIMEOUT_SECONDS = env_int("LIAISON_SMS_TIMEOUT_SECONDS", 10, minimum=1)
# WeChat template messages (模板消息) to staff and deputies with a bound openid; off unless the
# service account's app ID is set.
WECHAT_APP_ID = env_str("LIAISON_WECHAT_APP_ID")
WECHAT_APP_SECRET = env_str("LIAISON_WECHAT_APP_SECRET")
WECHAT_TEMPLATE_ID = env_str("LIAISON_WECHAT_TEMPLATE_ID")  # the approved "待办提醒" template
WECHAT_ENDPOINT = env_str("LIAISON_WECHAT_ENDPOINT", "https://api.weixin.qq.com")
# The gateway's template ID per message kind (liaison/notifications/sms.py), e.g.
# LIAISON_SMS_TEMPLATE_CASE_RECEIVED=1234567. Demo mode has a placeholder for every kind.
SMS_TEMPLATE_IDS = env_prefixed("LIAISON_SMS_TEMPLATE_")
# Texts to staff wait for the morning: no SMS between these hours (citizens' codes excepted).
SMS_QUIET_HOURS = env_list("LIAISON_SMS_QUIET_HOURS", "22:00,07:00")
# Delivery receipts (回执) from the gateway: the secret in the callback URL (empty: no callback
# endpoint), and optionally the gateway's addresses or networks allowed to call it.
SMS_CALLBACK_TOKEN = env_str("LIAISON_SMS_CALLBACK_TOKEN")
SMS_CALLBACK_IPS = env_list("LIAISON_SMS_CALLBACK_IPS")
NOTIFICATIONS_FILE = env_path("NOTIFICATIONS_FILE", VAR_DIR / "notifications.jsonl")
WORKER_POLL_SECONDS = env_float("WORKER_POLL_SECONDS", 5)
# A failed delivery is retried after RETRY_SECONDS, then twice that, … up to MAX_ATTEMPTS tries.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5)
NOTIFICATIONS_RETRY_SECONDS = env_float("NOTIFICATIONS_RETRY_SECONDS", 60)
# A worker's claim on the rows it is sending: the rows of a worker that died come back to the
# queue after this. It must outlast a send (both SDKs time out connect and read separately).
NOTIFICATIONS_LEASE_SECONDS = env_int("NOTIFICATIONS_LEASE_SECONDS", 300, minimum=1)
if 2 * max(SMS_TIMEOUT_SECONDS, EMAIL_TIMEOUT) >= NOTIFICATIONS_LEASE_SECONDS:
    raise ImproperlyConfigured(
        f"NOTIFICATIONS_LEASE_SECONDS={NOTIFICATIONS_LEASE_SECONDS} must be more than twice "
        "LIAISON_SMS_TIMEOUT_SECONDS and EMAIL_TIMEOUT, or a slow send is sent twice."
    )
# Delivered notifications (phone numbers, texts) are deleted after this many days (PIPL).
NOTIFICATIONS_KEEP_DAYS = env_int("NOTIFICATIONS_KEEP_DAYS", 90)
# Days after a case is closed, a booking held or an activity over until the people's personal
# data in it is anonymised by the worker (docs/privacy.md; PIPL). 0 keeps it.
LIAISON_RETENTION_DAYS = env_int("LIAISON_RETENTION_DAYS", 3 * 365)
# 预算联网监督: a line is flagged when its execution rate lags the elapsed share of the year by
# more than this many percentage points (or exceeds 100 %).
LIAISON_BUDGET_DEVIATION = env_int("LIAISON_BUDGET_DEVIATION", 20)

# Exports (docs/exports.md): a list up to this many rows downloads at once, a longer one is written
# by the worker; its file (personal data, masked as on screen) is deleted after this many hours.
EXPORT_DIRECT_MAX_ROWS = env_int("EXPORT_DIRECT_MAX_ROWS", 5000)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24, minimum=1)

# Working days each step of a case may take (see docs/cases.md); the SPEC fixes reply (3) and
# answer (15); the others are local practice and may differ between districts.
CASE_REVIEW_DAYS = env_int("CASE_REVIEW_DAYS", 2)
CASE_REPLY_DAYS = env_int("CASE_REPLY_DAYS", 3)
CASE_SIGN_DAYS = env_int("CASE_SIGN_DAYS", 1)
# Connections that recompute the open deadlines at once after a holiday schedule changed
# (cases.services.recalculate_deadlines, PostgreSQL; docs/workdays.md "Recomputing at scale").
LIAISON_RECOMPUTE_WORKERS = env_int("LIAISON_RECOMPUTE_WORKERS", 2, minimum=1)
CASE_ASSIGN_DAYS = env_int("CASE_ASSIGN_DAYS", 2)  # 待交办: the committee assigns (local practice)
CASE_HANDLING_DAYS = env_int("CASE_HANDLING_DAYS", 15)
CASE_ANSWER_DAYS = env_int("CASE_ANSWER_DAYS", 15)
CASE_RATING_DAYS = env_int("CASE_RATING_DAYS", 10)
# Local hour (Asia/Shanghai) from which deputies get their daily digest of open cases.
CASE_DIGEST_HOUR = env_int("CASE_DIGEST_HOUR", 8)

# Open311 GeoReport v2 (docs/open311.md): the station (its number) that receives requests sent
# with an address but no position; empty: such requests are refused. A jurisdiction_id that
# clients must send if they send one; empty: any is accepted.
OPEN311_DEFAULT_STATION = env_str("OPEN311_DEFAULT_STATION", "")
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "")

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        }
        if env_str("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Django's default of 300 entries is fewer than the tracking pages, their versions
            # and the deputies' pages a busy process serves: they pushed each other out.
            "OPTIONS": {"MAX_ENTRIES": env_int("LOCMEM_CACHE_ENTRIES", 5000)},
        }
    )
}

# Whether every web and worker process sees the same cache (Redis; say so for another shared
# backend). Without it a change made in one process (a case event, an edited deputy) cannot forget
# what another process keeps: the staff queues are then built for every request, and the tokens
# the cached public pages are keyed by (core/versions.py) live at most
# LIAISON_PUBLIC_PAGE_CACHE_SECONDS, so that no page is older than that anywhere.
LIAISON_SHARED_CACHE = env_bool("LIAISON_SHARED_CACHE", bool(env_str("REDIS_URL")))

# Sessions are kept in the database. With a shared cache (REDIS_URL) they are read through it, so
# that a request does not ask the database for its session; writes go to both. Not with the
# per-process cache: a session ended in one process would live on in the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if env_str("REDIS_URL")
    else "django.contrib.sessions.backends.db"
)

# The public record on a deputy's page (the page their QR code opens): kept this many seconds in
# the cache above, so that a busy deputy's year of work is not counted for every visitor
# (issue 17, docs/scaling.md). 0: counted for every visitor.
LIAISON_DEPUTY_RECORD_CACHE_SECONDS = env_int("LIAISON_DEPUTY_RECORD_CACHE_SECONDS", 300)

# A deputy's and a station's public page, whole, for visitors who are not logged in (the pages the
# QR codes open; core/public_pages.py). Forgotten at once when the directory changes; what other
# apps add to a station's page (the next reception days) can be this many seconds old. 0: built for
# every visitor.
LIAISON_PUBLIC_PAGE_CACHE_SECONDS = env_int("LIAISON_PUBLIC_PAGE_CACHE_SECONDS", 60)

# The statistics pages' figures are kept in the cache above, keyed by the rollups' high-water
# marks (a new rollup run changes the key); this bounds how long the figures the marks do not
# cover (open cases now, 三个一, coverage, suggestions, legislation) can be stale. 0: no cache.
LIAISON_STATS_CACHE_SECONDS = env_int("LIAISON_STATS_CACHE_SECONDS", 300)

# The citizen's message form and tracking page (docs/citizen.md). Counted in the cache above: set
# REDIS_URL when several processes serve the site, or each process counts on its own.
# Messages per phone per day, per client address per hour; SMS codes per phone per day; failed
# tracking-page unlocks per client address and per tracking number per hour.
LIAISON_RATE_MESSAGES_PER_PHONE = env_int("LIAISON_RATE_MESSAGES_PER_PHONE", 5)
LIAISON_RATE_MESSAGES_PER_IP = env_int("LIAISON_RATE_MESSAGES_PER_IP", 20)
LIAISON_RATE_CODES_PER_PHONE = env_int("LIAISON_RATE_CODES_PER_PHONE", 10)
LIAISON_RATE_TRACKING_FAILURES_PER_IP = env_int("LIAISON_RATE_TRACKING_FAILURES_PER_IP", 20)
LIAISON_RATE_TRACKING_FAILURES_PER_NUMBER = env_int("LIAISON_RATE_TRACKING_FAILURES_PER_NUMBER", 5)
LIAISON_RATE_CODE_REQUESTS_PER_IP = env_int("LIAISON_RATE_CODE_REQUESTS_PER_IP", 10)
LIAISON_RATE_SUGGESTION_RATINGS_PER_IP = env_int("LIAISON_RATE_SUGGESTION_RATINGS_PER_IP", 30)
# All photos of one message together; each photo is also limited by PHOTO_MAX_BYTES.
MESSAGE_UPLOAD_MAX_BYTES = env_int("MESSAGE_UPLOAD_MAX_BYTES", 30 * 1024 * 1024)
# Behind a reverse proxy: the request header with the client's address (e.g. HTTP_X_REAL_IP),
# which the proxy must set itself. Empty: REMOTE_ADDR.
LIAISON_CLIENT_IP_HEADER = env_str("LIAISON_CLIENT_IP_HEADER", "")

# Login lockout (django-axes, docs/deployment.md "Accounts: lockout and two-factor"): after this
# many wrong passwords for one account, or from one client address, within the cool-off, logins
# are refused (the right password too) until the cool-off has passed or an administrator unlocks.
LIAISON_LOGIN_FAILURES_PER_ACCOUNT = env_int("LIAISON_LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
LIAISON_LOGIN_FAILURES_PER_IP = env_int("LIAISON_LOGIN_FAILURES_PER_IP", 30, minimum=1)
LIAISON_LOGIN_COOLOFF_MINUTES = env_int("LIAISON_LOGIN_COOLOFF_MINUTES", 30, minimum=1)
AXES_HANDLER = "liaison.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # the handler applies each its own limit
AXES_FAILURE_LIMIT = LIAISON_LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = LIAISON_LOGIN_COOLOFF_MINUTES / 60  # hours
AXES_RESET_ON_SUCCESS = True
# An attacker who keeps guessing does not prolong the owner's wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The address the rate limits use, when it is a valid address (else None: counted per account).
AXES_CLIENT_IP_CALLABLE = "liaison.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "liaison.accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure, for administrators to read
AXES_ENABLE_ADMIN = False  # liaison/accounts/admin.py registers it for administrators only
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token"]
# TOTP two-factor login (django-otp): the issuer shown in authenticator apps, and whether
# administrators must enrol before they can work (not by default in demo mode, whose demo
# administrator has a published password and no authenticator).
OTP_TOTP_ISSUER = env_str("LIAISON_TOTP_ISSUER", "Liaison")
LIAISON_TWO_FACTOR_ADMINISTRATORS = env_bool("LIAISON_TWO_FACTOR_ADMINISTRATORS", not DEMO_MODE)

# The REST API (docs/api.md). Throttle rates as DRF writes them: "60/min", "1000/hour".
API_THROTTLE_ANON = env_str("API_THROTTLE_ANON", "60/min")
API_THROTTLE_USER = env_str("API_THROTTLE_USER", "600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "liaison.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["liaison.api.permissions.HasScope"],
    "DEFAULT_PAGINATION_CLASS": "liaison.api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "liaison.api.throttling.AnonThrottle",
        "liaison.api.throttling.UserThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies must be objects (liaison/api/parsers.py); forms and uploads as DRF has them.
    "DEFAULT_PARSER_CLASSES": [
        "liaison.api.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "liaison.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "liaison.api.errors.exception_handler",
    # No OPTIONS self-description: the schema describes the API, and OPTIONS answers 405 like any
    # method an operation does not document (DRF's metadata crashed on views that set up state
    # in list()).
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaison API",
    "DESCRIPTION": "REST API v1 of Liaison (docs/api.md).",
    "VERSION": "1.0.0",
    # 3.1 (JSON Schema 2020-12): `propertyNames` and `const` say what the server refuses.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "liaison.api.schema.forbid_nul_in_inputs",
    ],
    # The case status appears in several serializers; one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "liaison.cases.workflow.Status",
        "AppointmentStatusEnum": "liaison.appointments.models.AppointmentStatus",
        "ActivityStatusEnum": "liaison.activities.models.ActivityStatus",
        "SuggestionStatusEnum": "liaison.suggestions.workflow.Status",
    },
}

# The map on the station finder and the station page (docs/citizen.md, "Map"): a tile URL
# template as Leaflet takes it ({s} subdomain, {z}/{x}/{y}, {key} for LIAISON_MAP_KEY), e.g.
# Tianditu or AMap. Empty: no map, the address text alone. The tiles' coordinate system decides
# how station positions are converted: wgs84 (Tianditu, OpenStreetMap) or gcj02 (AMap, Tencent).
MAP_TILES = env_str("LIAISON_MAP_TILES")
MAP_SUBDOMAINS = env_str("LIAISON_MAP_SUBDOMAINS")
MAP_KEY = env_str("LIAISON_MAP_KEY")
MAP_ATTRIBUTION = env_str("LIAISON_MAP_ATTRIBUTION")
MAP_COORDINATES = env_choice("LIAISON_MAP_COORDINATES", "wgs84", ("wgs84", "gcj02"))
MAP_TILE_ORIGINS = tile_origins("LIAISON_MAP_TILES", MAP_TILES, MAP_SUBDOMAINS)

# Content-Security-Policy, enforced (docs/deployment.md, "Security headers"): scripts, styles,
# fonts and connections only from this site, and neither inline scripts nor event-handler
# attributes nor style attributes, so that injected markup cannot run or restyle anything. The
# API's Swagger UI page widens it for itself alone (liaison/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for icons that stylesheets embed (Swagger UI); the map's tile server, if any.
        "img-src": [SELF, "data:", *MAP_TILE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is hard to undo, so it is the deployer's explicit choice.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
