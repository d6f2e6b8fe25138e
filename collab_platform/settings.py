"""Settings, all read from the environment (twelve-factor).

With nothing set the platform runs in a safe local mode: SQLite under var/,
DEBUG on, console e-mail, an in-memory channel layer and eager Celery tasks.
``DJANGO_ENV=production`` turns on every deploy check and refuses to start
without a real SECRET_KEY and ALLOWED_HOSTS. Every variable is documented in
the README.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DJANGO_ENV = env.str("DJANGO_ENV", default="local")
PRODUCTION = DJANGO_ENV == "production"

_INSECURE_KEY = "django-insecure-local-only-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
if PRODUCTION and (
    SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs SECRET_KEY set to a random value of 50+ characters."
    )

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ENV=production needs ALLOWED_HOSTS.")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_ENV=production refuses DEBUG=true: it would leak data.")
if PRODUCTION and "DATABASE_URL" not in env:
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs DATABASE_URL (PostgreSQL); SQLite is for local use only."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Council Collaboration Platform"

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "csp",
    "django_htmx",
    "template_partials",
    "core",
    "collab_platform",
    "accounts",
    "councils",
    "initiatives",
    "swot",
    "notifications",
    "brokering",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectHostileInputMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "notifications.middleware.RecordVisitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "collab_platform.middleware.RequireMFAForPrivilegedMiddleware",
]

ROOT_URLCONF = "collab_platform.urls"
WSGI_APPLICATION = "collab_platform.wsgi.application"
ASGI_APPLICATION = "collab_platform.asgi.application"

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
                "collab_platform.context_processors.platform",
            ],
        },
    }
]

(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
# The web process (asgi.py/wsgi.py set PROCESS_KIND=web) gives any one SQL
# statement a few seconds: a request that needs longer is a bug or an attack,
# and must not hold a database backend. Commands and Celery tasks (imports,
# digests) get longer. A dead database is noticed in seconds, not minutes.
PROCESS_KIND = env.str("PROCESS_KIND", default="task")
DB_STATEMENT_TIMEOUT_MS = env.int(
    "DB_STATEMENT_TIMEOUT_MS", default=10_000 if PROCESS_KIND == "web" else 600_000
)
if IS_POSTGRES:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": 5,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": 15_000,
            "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs REDIS_URL: rate limits and two-factor replay protection "
        "kept in one process's memory protect nothing."
    )
_TEST_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if REDIS_URL and _TEST_WORKER.startswith("gw"):
    # Parallel test workers each get a Redis database of their own: every test
    # empties the cache (rate limits live there), which must not reset the
    # counters of a test running at the same moment in another worker.
    _base, _, _db = REDIS_URL.rpartition("/")
    if not _db.isdigit():
        _base, _db = REDIS_URL.rstrip("/"), "0"
    _offset = int(_db)
    REDIS_URL = f"{_base}/{(_offset + 1 + int(_TEST_WORKER[2:])) % 16}"
# How many messages may wait for one board connection before the channel
# layer drops more (channels-redis's default of 100 drops broadcasts when 200
# people add items at once). A consumer that still misses one notices the gap
# in sequence numbers and replays it from the operation log.
CHANNEL_CAPACITY = 5000
if REDIS_URL:
    # Falls back to a per-process cache during a Redis outage (core.cache), so
    # people can still sign in; /readyz reports it.
    CACHES = {"default": {"BACKEND": "core.cache.FailoverRedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "capacity": CHANNEL_CAPACITY,
                "expiry": 60,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY, "expiry": 60},
        }
    }

# Celery: eager in local mode so `make run` needs no broker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies (SIGKILL, OOM) goes back to the queue instead of
# being acknowledged as failed; each worker process takes one message at a
# time, so a crash strands at most one per process.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers a message nobody acknowledged after this long. It must be
# longer than any task plus its longest retry countdown (retries wait up to
# 30 minutes with back-off), or a retrying task would be run twice; the
# digest lease (below) is what stops a redelivered digest being sent twice.
CELERY_BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=2 * 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_TIMEZONE = "UTC"
# The queue tasks are sent to and a worker consumes. One name in production;
# the worker tests give each test a queue of its own, so parallel test
# processes sharing a Redis database never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE: dict = {
    "dispatch-digests": {
        "task": "notifications.tasks.dispatch_digests",
        "schedule": 15 * 60,
    },
}
# How long a worker owns a digest it is sending; an expired lease means the
# worker died, and the digest is sent by the next one (docs/operations.md).
DIGEST_SEND_LEASE_SECONDS = env.int("DIGEST_SEND_LEASE_SECONDS", default=300)
# The first retry of a digest the mail server refused waits about this long,
# each next one twice as long, up to 30 times it (1 minute to 30 minutes).
# Tests shorten it to a fraction of a second.
DIGEST_RETRY_BASE_SECONDS = env.float("DIGEST_RETRY_BASE_SECONDS", default=60.0)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Django's rules in GOV.UK words (accounts.password_validation).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail login, mandatory verification, rate limits (on by default).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "notifications.account_emails.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {
    "login": "accounts.allauth_forms.LoginForm",
    "signup": "accounts.allauth_forms.SignupForm",
    "change_password": "accounts.allauth_forms.ChangePasswordForm",
    "reset_password": "accounts.allauth_forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.allauth_forms.ResetPasswordKeyForm",
    "add_email": "accounts.allauth_forms.AddEmailForm",
    "reauthenticate": "accounts.allauth_forms.ReauthenticateForm",
}
# No "[Site] " prefix: subjects read like the platform's other e-mails and name the site themselves.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_FORMS = {
    "authenticate": "accounts.allauth_forms.AuthenticateForm",
    "reauthenticate": "accounts.allauth_forms.ReauthenticateMfaForm",
    "activate_totp": "accounts.allauth_forms.ActivateTOTPForm",
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / "build" / "vendor")]
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

# E-mail: console locally; EMAIL_URL (smtp://user:pass@host:587/?tls=True) in production.
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@collab.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# How many reverse proxies in front of the app append to X-Forwarded-For. The
# client address for rate limits (allauth and DRF alike) is read that many
# hops from the right; with 0, X-Forwarded-For is ignored, so a client can
# never choose its own rate-limit bucket.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "core.openapi.ErrorAwareAutoSchema",
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
    # The API speaks JSON only: one request format to validate and document.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.SafeJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    # Must be an int: DRF's default (None) trusts the whole X-Forwarded-For.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="600/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Council Collaboration Platform API",
    "DESCRIPTION": "Organisations, council profiles, initiatives and partnerships. "
    "Authenticate with a personal API token: `Authorization: Token <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files (CSP: no CDN, no inline script).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.blank_filter_means_any",
    ],
    # Several models have a "status" or "kind" field: name their enums explicitly.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationStatusEnum": "councils.models.Organisation.Status",
        "OrganisationKindEnum": "councils.models.Organisation.Kind",
        "MembershipRoleEnum": "councils.models.Membership.Role",
        "InitiativeStageEnum": "initiatives.models.Initiative.Stage",
        "CostSplitEnum": "initiatives.models.Initiative.CostSplit",
        "PartnershipRoleEnum": "initiatives.models.Partnership.Role",
        "PartnershipStatusEnum": "initiatives.models.Partnership.Status",
    },
}

# Websockets go only to our own hosts ('self' covers them in CSP 3 browsers;
# the explicit origins are for those that predate it).
_WEBSOCKET_ORIGINS = (
    [f"wss://{host}" for host in ALLOWED_HOSTS if host and not host.startswith(".") and host != "*"]
    if PRODUCTION
    else ["ws://127.0.0.1:*", "ws://localhost:*"]
)

# Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        # Our own origin only (the live board's websocket included); no other host.
        "connect-src": ["'self'", *_WEBSOCKET_ORIGINS],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are sent only over HTTPS, to this exact host, for every
    # path: a sibling subdomain cannot plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Browser features no page uses are switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Membership invitation lifetime.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)

# Staff and council admins must enrol in two-factor authentication before
# anything else: until they do, every path except these sends them to enrol.
MFA_EXEMPT_PATHS = [
    # Sign-in, sign-out, two-factor set-up, password, profile; but not making an
    # API token, which would let an unenrolled admin act through the API.
    r"^/accounts/(?!tokens/)",
    r"^/healthz$",
    r"^/readyz$",
    r"^/static/",
]
