"""Settings shared by every environment; everything site-specific comes from the environment.

The embedded default (no variables set) is a single-machine site: SQLite in WAL mode under
MODUONG_DATA_DIR, a file cache there (shared by the web process and the worker) and the database
task backend. Setting DATABASE_URL and REDIS_URL moves the same code onto PostgreSQL and Redis.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from moduong.core.release import release_id

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("MODUONG_DATA_DIR", BASE_DIR / "var")).resolve()


def _embedded_secret_key() -> str:
    """The embedded site keeps a generated key on disk so sessions survive a restart."""
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or _embedded_secret_key()
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "moduong.core",
    "moduong.accounts",
    "moduong.units",
    "moduong.news",
    "moduong.search",
    "moduong.community",
    "moduong.gallery",
    "moduong.library",
    "moduong.contests",
    "moduong.training",
    "moduong.awards",
    "moduong.bulletins",
    "moduong.monitoring",
    "moduong.conferences",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "captcha",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

FORM_RENDERER = "moduong.core.forms.FormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the page cache, so that a page served from it still gets the header.
    "moduong.core.middleware.ContentSecurityPolicyMiddleware",
    "moduong.core.middleware.refuse_long_addresses",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "moduong.core.dbrouter.ReplicaReadsMiddleware",
    "moduong.core.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "moduong.core.middleware.admin_frames_same_origin",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "moduong.core.middleware.PageRouteCacheMiddleware",
    # Last, so that it sees a view's exception first: a lock wait that ran out is a message.
    "moduong.core.middleware.BusyPageMiddleware",
]

ROOT_URLCONF = "moduong.urls"
WSGI_APPLICATION = "moduong.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
                "moduong.core.context_processors.site_shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "moduong.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE avoids the deadlock of two
    # readers upgrading to writers; busy_timeout waits instead of failing under a short burst.
    # Connections persist (CONN_MAX_AGE) so the PRAGMAs are not paid on every request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }

# PgBouncer in transaction mode hands each transaction to whichever server connection is free,
# so nothing may outlive a transaction on the server: no server-side cursors (.iterator() then
# reads client-side), no prepared statements (psycopg's are off unless prepare_threshold is set).
# MODUONG_PGBOUNCER=1 says the DATABASE_URL is a PgBouncer; a URL on PgBouncer's usual port 6432
# is taken as one too.
PGBOUNCER = env_bool(
    "MODUONG_PGBOUNCER", ":6432/" in os.environ.get("DATABASE_URL", "").split("@")[-1]
)

# No lock is waited for longer than this (seconds): PostgreSQL's lock_timeout of every
# connection (core.locks); a service may set a shorter one for its transaction.
# PgBouncer refuses the startup option that sets it: there, the operator sets it on the database
# (ALTER DATABASE … SET lock_timeout, docs/operator.md) and the services' SET LOCAL still holds.
LOCK_TIMEOUT_SECONDS = float(os.environ.get("LOCK_TIMEOUT_SECONDS", "10"))
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and not PGBOUNCER:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={int(LOCK_TIMEOUT_SECONDS * 1000)}"
    )

# Reads on a streaming replica: DATABASE_REPLICA_URL adds a "replica" alias that
# moduong.core.dbrouter sends anonymous reads of listings, search and the read-only API to.
# Without it every query goes to "default", as before.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Tests make no database of their own for it: it is the same data, seen through the replica.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
DATABASE_REPLICA_READS = bool(DATABASE_REPLICA_URL)
# Routes nothing unless DATABASE_REPLICA_READS: every query then goes to "default".
DATABASE_ROUTERS = ["moduong.core.dbrouter.ReplicaRouter"]
# How far (seconds) the replica may lag behind before reads go back to the primary, how often
# that is checked, and how long after a write a session keeps reading from the primary.
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "10"))
DATABASE_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", "5"))
DATABASE_REPLICA_STICKY_SECONDS = int(os.environ.get("DATABASE_REPLICA_STICKY_SECONDS", "10"))
for _alias in DATABASES:
    if PGBOUNCER and DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES[_alias].setdefault("OPTIONS", {})["prepare_threshold"] = None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every key of the default cache carries the release (core.release): a deploy never reads
# objects a previous release stored (their shape may have changed). Sessions are plain
# dicts and must outlive a deploy: they have an alias of their own, without it.
RELEASE = release_id()
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "moduong")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "moduong.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{RELEASE}",
            "TIMEOUT": 300,
        }
    }
    # Sessions in their own alias, keyed without the release (a deploy logs nobody out), read
    # from Redis and written through to the database (a restart of Redis logs nobody out).
    CACHES["sessions"] = {**CACHES["default"], "KEY_PREFIX": CACHE_KEY_PREFIX}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
else:
    # Files in the data dir, not process memory: the web process and the task worker are two
    # processes, and what one writes (a contest's dashboard figures, rate-limit counters, the
    # answered questions of an exchange) the other must read.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "KEY_PREFIX": RELEASE,
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Whole-page cache for anonymous readers (seconds; 0 turns it off). See core.middleware.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# Article reads a process counts before it adds them to the shared counter (see news.services).
NEWS_READS_BUFFER = int(os.environ.get("NEWS_READS_BUFFER", "20"))
NEWS_READS_BUFFER_SECONDS = float(os.environ.get("NEWS_READS_BUFFER_SECONDS", "5"))

# --- Background tasks ---------------------------------------------------------------------------
# The embedded default keeps them in the database (`moduong worker` runs django-tasks-db's worker);
# a cluster sets TASKS_BACKEND=django_tasks_rq.RQBackend to keep them in Redis (TASKS_REDIS_URL,
# else REDIS_URL), where a task whose worker died mid-run is handed out again (core.taskworker).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASK_QUEUES = ["default", "search", "email"]
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": TASK_QUEUES}}
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", REDIS_URL)
# A job runs at most this long on Redis (then rq stops it and it fails); the worker's heartbeat.
TASKS_RQ_TIMEOUT_SECONDS = int(os.environ.get("TASKS_RQ_TIMEOUT_SECONDS", "3600"))
TASKS_RQ_HEARTBEAT_SECONDS = int(os.environ.get("TASKS_RQ_HEARTBEAT_SECONDS", "5"))
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=django_tasks_rq.RQBackend needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
RQ_QUEUES = {
    name: {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": TASKS_RQ_TIMEOUT_SECONDS}
    for name in TASK_QUEUES
}

# Bulletins: the print files of an edition must be made within this many seconds (a 100-page
# edition takes a few); emails to subscribers go out this many per SMTP connection.
BULLETINS_PRINT_SECONDS = int(os.environ.get("BULLETINS_PRINT_SECONDS", "120"))
BULLETINS_MAIL_BATCH = int(os.environ.get("BULLETINS_MAIL_BATCH", "200"))

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Private pages send readers to the site's own login, not Wagtail's English one.
WAGTAIL_FRONTEND_LOGIN_URL = "/tai-khoan/login/"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*", "email*"]
ACCOUNT_FORMS = {
    "signup": "moduong.accounts.forms.SignupForm",
    "login": "moduong.accounts.forms.LoginForm",
}
# Sign-up never says whether an email is registered (that would tell anyone who reads here):
# it answers as for a new address, and the address's owner is emailed that someone tried.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_ADAPTER = "moduong.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_USER_DISPLAY = "moduong.accounts.models.user_display"
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mở Đường] "
# allauth keeps these counters in the cache (Redis when configured), per client address (see
# core.network) and per account; its limiter is also the one every other limit of the site uses.
ACCOUNT_RATE_LIMITS = {
    # Per address generous (a school or an office shares one address), per account strict.
    "login_failed": os.environ.get("RATE_LOGIN_FAILED", "30/5m/ip,5/5m/key"),
    # Each sign-up sends an email to an address anyone may type: few per address.
    "signup": os.environ.get("RATE_SIGNUP", "10/h/ip"),
    "confirm_email": "3/3m/key",
    "reset_password": "5/m/ip,3/5m/key",
}

CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 34
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_CHALLENGE_FUNCT = "moduong.accounts.captcha.digits_challenge"
CAPTCHA_LETTER_ROTATION = (-25, 25)

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mở Đường <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Language, time -----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
# Our own strings first; then our Vietnamese for allauth and Django, and for Wagtail's admin,
# which their projects ship incomplete or not at all. makemessages writes only the first.
LOCALE_PATHS = [
    PACKAGE_DIR / "locale",
    PACKAGE_DIR / "locale_upstream",
    PACKAGE_DIR / "locale_wagtail",
]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Files only views hand out (letters' attachments, e-book files): outside MEDIA_ROOT.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", DATA_DIR / "private"))
# Behind nginx, those views answer with X-Accel-Redirect to this internal location, which
# nginx maps to PRIVATE_ROOT (…/private/) and MEDIA_ROOT (…/media/); empty: Django sends the
# file itself. See docs/operator.md and core.files.
ACCEL_REDIRECT_PREFIX = os.environ.get("ACCEL_REDIRECT_PREFIX", "")

# --- Search -------------------------------------------------------------------------------------
# "sqlite" (FTS5) or "postgresql" (tsvector + GIN); empty follows the database.
# See docs/operator.md.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "")
# Searches per minute from one address (page and API together); 0 turns the limit off.
SEARCH_RATE_PER_MINUTE = int(os.environ.get("SEARCH_RATE_PER_MINUTE", "120"))

# --- Wagtail ------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Mở Đường")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Documents are served by Wagtail's view (attachment, no embedded content), and only of these
# kinds: an uploaded .html or .svg must never run on the site's own origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "epub",
    "txt",
    "csv",
    "zip",
]
# Every PDF uploaded as a document is checked like any other PDF the site takes (core.uploads).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "moduong.core.forms.DocumentForm"
# Passwords are reset through the site's own form (rate-limited), not the admin's.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Addresses are ASCII the Vietnamese way (core.vntext.slugify), never percent-encoded Unicode.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No avatars from an outside service: offline they break, each would send a hash of a staff
# member's email to it, and the admin's Content-Security-Policy loads nothing from another host.
# Wagtail shows its own default picture, or one uploaded in the account.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "moduong.accounts.forms.AdminLoginForm"

# --- Client addresses -------------------------------------------------------------------------
# Every limit keys on the client's address (core.network.client_address). Behind proxies, say
# how many of them are the operator's (each appends to X-Forwarded-For), or which header the
# proxy sets to the client's address; never both, and never a header a client could set itself.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER", "")
# allauth reads its own names; the adapter asks core.network anyway, these keep them the same.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, never from the cookie
X_FRAME_OPTIONS = "DENY"  # the admin's preview frame is allowed by core.middleware
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
CSRF_FAILURE_VIEW = "moduong.core.views.csrf_failure"

# Content-Security-Policy (django-csp). The site runs only its own scripts and styles, from its
# own origin, each tag with the request's nonce: no inline script or style, no eval, nothing
# from another host. Embedded players (YouTube and the like, through Wagtail's embeds) are
# frames, which cannot reach into the page; CSP_FRAME_SRC narrows them to named hosts.
_CSP_SELF, _CSP_NONE, _CSP_NONCE = SELF, NONE, NONCE
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF, _CSP_NONCE],
        "style-src": [_CSP_SELF, _CSP_NONCE],
        "img-src": [_CSP_SELF, "data:"],
        "media-src": [_CSP_SELF],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "frame-src": [_CSP_SELF, *env_list("CSP_FRAME_SRC", "https:")],
        "object-src": [_CSP_SELF],  # the PDF reader's <object>, the site's own files only
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
    }
}
# Wagtail's admin (staff only, behind its login) writes inline scripts and style attributes from
# its widgets and choosers, which no nonce can reach; its policy allows inline code but still
# nothing from another host, no plugins, no framing by another site, forms posting only here.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF, "'unsafe-inline'"],
        "style-src": [_CSP_SELF, "'unsafe-inline'"],
        "img-src": [_CSP_SELF, "data:", "blob:"],
        "media-src": [_CSP_SELF, "blob:"],
        "font-src": [_CSP_SELF, "data:"],
        "connect-src": [_CSP_SELF],
        "frame-src": [_CSP_SELF, *env_list("CSP_FRAME_SRC", "https:")],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_SELF],
    }
}
CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")
# Addresses longer than this (path and query, in characters) get a Vietnamese 414 page.
MAX_URL_LENGTH = int(os.environ.get("MAX_URL_LENGTH", "8000"))

# --- Logging: every failure a person can reach is logged with its traceback ---------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "moduong": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}

SITE_ID = 1

# Wagtail looks renditions up in this cache before the database.
CACHES["renditions"] = {**CACHES["default"], "TIMEOUT": 86400}
if not REDIS_URL:
    # A rendition, once made, never changes: each process may remember it on its own.
    CACHES["renditions"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "moduong-renditions",
        "TIMEOUT": 86400,
    }
