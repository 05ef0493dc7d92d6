"""Settings for the portal, read from environment variables.

Development defaults are safe: with no environment at all the site refuses to start
without DJANGO_SECRET_KEY unless DJANGO_DEBUG is on. The README lists every variable.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.log import DEFAULT_LOGGING

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_count(name, default, minimum=1):
    """A whole number of at least `minimum`; anything else stops the site, naming it."""
    value = os.environ.get(name, "").strip() or default
    if not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of {minimum} or more, not {value!r}."
        )
    return int(value)


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Core

DEBUG = env_bool("DJANGO_DEBUG")

# The key itself, or a file holding it: DJANGO_SECRET_KEY_FILE, else the `.secret-key` that
# `make run` writes, so that `manage.py` commands work after `make run` as typed.
SECRET_KEY_FILE = Path(os.environ.get("DJANGO_SECRET_KEY_FILE") or BASE_DIR / ".secret-key")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY, or DJANGO_SECRET_KEY_FILE naming a file that holds it "
            f"(none at {SECRET_KEY_FILE}; `make run` writes one), when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, which it extends: Japanese beside English in the same rows.
    "modeltranslation",
    # Django's admin, on the site that asks for the second factor (second_factor/).
    "second_factor.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "taggit",
    "imagekit",
    # Counts failed sign-ins and locks them out; its admin is replaced by accounts' own.
    "axes",
    "relations",
    "meetings",
    # Two-factor sign-in: authenticator apps (TOTP) and recovery codes (django-otp). After
    # django-otp, whose device admins it takes out.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys (WebAuthn): the stronger second factor.
    "django_otp_webauthn",
    "second_factor.apps.SecondFactorConfig",
    "accounts",
]

MIDDLEWARE = [
    # First, so that every response carries one, redirects and refusals too.
    "portal.middleware.RequestIdMiddleware",
    # The headers every response carries (SECURITY.md): above whitenoise and the page cache,
    # which answer (static files, cached pages and their 304s) without the middleware below.
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, auth and URL resolving: a visitor's cached page costs none of them.
    "portal.middleware.PageCacheMiddleware",
    "portal.middleware.RejectNullCharactersMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageFromAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session was signed in with a code: request.user.is_verified().
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: ends sessions past their idle or absolute limit.
    "accounts.staff_sessions.StaffSessionLimitsMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "portal.context_processors.languages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://user:password@127.0.0.1:5432/portal

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default cost of a random read (4) is a spinning disk's; on SSDs it picks
    # scans of whole tables over index lookups that are ten times faster (the related
    # meetings of a meeting page at 50,000 meetings: 50 ms against 10 ms).
    random_page_cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={float(random_page_cost)}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes the write lock when it begins, so two saves of one meeting
    # queue up instead of both reading the old version (the stale-save check relies on it).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests use a file too, as an install does. In the browser tests requests run side by
    # side (a save, the presence heartbeats): a file waits for its lock, where Django's
    # shared in-memory test database fails at once ("database table is locked").
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
    # The covering indexes' INCLUDE columns are for PostgreSQL; SQLite builds the same
    # indexes without them, which is all it needs (models.W040 says so on every migrate).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# A runaway query must not hold a web worker for minutes: on PostgreSQL, any statement of a
# web request is cancelled after this long (0: never), and the visitor gets a 503. Applied
# by portal/wsgi.py and portal/asgi.py only: commands (migrate, generate_archive, restore,
# record_due_transitions, imports) legitimately run longer.
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "10000"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: whole public pages and feeds, searches' results, and the content version they
# are valid for (meetings/caching.py). With REDIS_URL (or CACHE_URL naming a Redis), every
# server shares them; without, each process keeps its own in memory. 0 seconds turns the
# page cache off.

CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")


def shared_caches(url):
    """Django's own Redis backend for each cache, told apart by their key prefixes.

    Short socket timeouts: a Redis that is down or unreachable is a cache miss, costing a
    request a fraction of a second, not its worker."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL/CACHE_URL must name a Redis server, not {url!r}.")

    def redis(prefix):
        return {
            "BACKEND": "portal.redis_cache.ReusingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"portal:{prefix}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }

    return {"default": redis("default"), "pages": redis("pages"), "searches": redis("searches")}


if CACHE_URL:
    CACHES = shared_caches(CACHE_URL)
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "public-pages",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PORTAL_PAGE_CACHE_ENTRIES", "2000"))},
        },
        "searches": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "searches",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PORTAL_SEARCH_CACHE_ENTRIES", "5000"))},
        },
    }
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "600"))
# How long the shared cache keeps the content version before it is read from the database
# again: a bound on how long a lost write to the cache could leave servers on an old one.
PORTAL_CONTENT_VERSION_SECONDS = int(os.environ.get("PORTAL_CONTENT_VERSION_SECONDS", "60"))

# Passwords: every account is staff, able to change what the ministry publishes, so 12
# characters at least (Django's default is 8).

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Signing in (accounts/): failed attempts are counted by django-axes in the database, so
# every app server counts the same ones. After PORTAL_LOGIN_FAILURE_LIMIT failures within
# PORTAL_LOGIN_COOLOFF_MINUTES, sign-in is refused (429) for the account, whatever address
# tries it (guessing one editor's password from many addresses), and from the address,
# whatever account it tries (guessing many editors' passwords from one). A failure while
# locked starts the wait again; a publisher unlocks sooner in the admin.


PORTAL_LOGIN_FAILURE_LIMIT = env_count("PORTAL_LOGIN_FAILURE_LIMIT", "5")
PORTAL_LOGIN_COOLOFF_MINUTES = env_count("PORTAL_LOGIN_COOLOFF_MINUTES", "30")
# How many proxies (nginx, a load balancer) stand before the app servers and add the address
# they were reached from to X-Forwarded-For; 0: REMOTE_ADDR is the client's (accounts/
# addresses.py). Behind nginx alone, 1: at 0 every sign-in would seem to come from nginx.
PORTAL_TRUSTED_PROXY_COUNT = env_count("PORTAL_TRUSTED_PROXY_COUNT", "0", minimum=0)
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = PORTAL_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=PORTAL_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success does not forget the failures: it would forget those of the address too, so one
# working account would let an address guess at every other one without end.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Every failure kept for the audit, beyond the attempts that count towards a lockout.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Sessions: a staff session ends after PORTAL_SESSION_IDLE_MINUTES without a request, and
# PORTAL_SESSION_MAX_HOURS after signing in (accounts/staff_sessions.py); the cookie and the
# stored session expire with the latter.
PORTAL_SESSION_IDLE_MINUTES = env_count("PORTAL_SESSION_IDLE_MINUTES", "30")
PORTAL_SESSION_MAX_HOURS = env_count("PORTAL_SESSION_MAX_HOURS", "12")
SESSION_COOKIE_AGE = PORTAL_SESSION_MAX_HOURS * 3600

# Internationalisation: times are stored in UTC and shown in the ministry's time zone.

# The public site is in English at its plain addresses and in Japanese under /ja/; the
# language comes from the address alone (portal.middleware.LanguageFromAddressMiddleware).

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them: May 19, 2023 / 2023年5月19日.
FORMAT_MODULE_PATH = ["portal.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

# Static files (whitenoise) and uploaded media

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Photos are served by meetings.media, which keeps those of meetings not public from the
# public, whatever storage holds them: pages link its addresses under MEDIA_URL, never the
# storage's. With a prefix (e.g. /protected-media/), it only decides and lets nginx send the
# file from an `internal` location mapped to MEDIA_ROOT (X-Accel-Redirect; see README).
PORTAL_MEDIA_ACCEL_REDIRECT = os.environ.get("PORTAL_MEDIA_ACCEL_REDIRECT", "")
# Photo renditions (meetings/models/renditions.py) are made once, when their photo is saved:
# pages only write their addresses, never look for the files.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
# Renditions are stored beside their photos, in STORAGES["default"] (imagekit's default too;
# named here so that nobody gives them a storage the media view does not read).
IMAGEKIT_DEFAULT_FILE_STORAGE = "default"

# Photos and renditions live in STORAGES["default"]: MEDIA_ROOT on this server, or an
# S3-compatible bucket (AWS, MinIO, Cloudflare R2…) shared by every server. The bucket needs
# django-storages and boto3 (`pip install .[s3]`); they are referred to by name only, so these
# settings import neither, and an install without a bucket does without them.
MEDIA_STORAGE = os.environ.get("PORTAL_MEDIA_STORAGE", "").strip().lower() or (
    "s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "filesystem"
)
# With a bucket, the media view may send visitors on to a short-lived signed address of the
# file instead of streaming it (see README, “Photos and media”).
PORTAL_MEDIA_REDIRECT = env_bool("PORTAL_MEDIA_REDIRECT")
if MEDIA_STORAGE == "filesystem":
    if PORTAL_MEDIA_REDIRECT:
        # The file's own address would be the media view's: a redirect to itself.
        raise ImproperlyConfigured("PORTAL_MEDIA_REDIRECT needs PORTAL_MEDIA_STORAGE=s3.")
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "PORTAL_MEDIA_STORAGE=s3 needs django-storages and boto3: pip install '.[s3]'."
        )
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("PORTAL_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    s3_options = {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        # Objects keep the bucket's own access, private: no ACL of their own.
        "default_acl": None,
        # As on disk, a name in use is never written over: the storage finds another.
        "file_overwrite": False,
        # Signed addresses, for PORTAL_MEDIA_REDIRECT: the bucket itself is never public.
        "querystring_auth": True,
        "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "900")),
        # Signature version 4: boto3 would sign some addresses with the deprecated version 2,
        # which Cloudflare R2 and recent MinIO refuse.
        "signature_version": os.environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
    }
    # Credentials come from boto3's own places (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
    # an instance or pod role), never from here.
    for option, variable in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),
        ("location", "AWS_LOCATION"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
        # A CloudFront key pair signs the custom domain's addresses (the key in PEM).
        ("cloudfront_key_id", "AWS_CLOUDFRONT_KEY_ID"),
        ("cloudfront_key", "AWS_CLOUDFRONT_KEY"),
    ):
        if os.environ.get(variable):
            s3_options[option] = os.environ[variable]
    if (
        PORTAL_MEDIA_REDIRECT
        and "custom_domain" in s3_options
        and "cloudfront_key" not in s3_options
    ):
        # django-storages signs a custom domain's addresses only with CloudFront keys; an
        # unsigned address would need a public bucket, and outlive a photo's taking down.
        raise ImproperlyConfigured(
            "PORTAL_MEDIA_REDIRECT sends visitors to signed addresses: with AWS_S3_CUSTOM_DOMAIN "
            "set AWS_CLOUDFRONT_KEY_ID and AWS_CLOUDFRONT_KEY, or unset it."
        )
    if PORTAL_MEDIA_REDIRECT and s3_options["querystring_expire"] < 600:
        # Browsers and proxies keep a public photo's redirect for five minutes
        # (meetings.media.PUBLIC_MAX_AGE): the address it names must outlive it.
        raise ImproperlyConfigured("AWS_QUERYSTRING_EXPIRE must be at least 600 (seconds).")
    MEDIA_STORAGE_BACKEND = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options}
else:
    raise ImproperlyConfigured(
        f"PORTAL_MEDIA_STORAGE is {MEDIA_STORAGE!r}; it may be 'filesystem' or 's3'."
    )

STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DJANGO_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Uploads: photos are the largest thing an editor sends.

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
PHOTO_MAX_BYTES = int(os.environ.get("PORTAL_PHOTO_MAX_BYTES", 8 * 1024 * 1024))
# Decoding a photo takes 3-4 bytes of memory a pixel, whatever its file's size: 40
# megapixels is more than any camera's photo a page needs (meetings/photo_uploads.py).
PORTAL_PHOTO_MAX_PIXELS = int(os.environ.get("PORTAL_PHOTO_MAX_PIXELS", 40_000_000))

# Security headers that are right in every environment; HTTPS ones are opt-in because
# development and `make run` serve plain HTTP.

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
# Load balancers probe app servers over plain HTTP (portal/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
# Sent only with DJANGO_HSTS_SECONDS. The site's own subdomains get HTTPS-only too; preload
# consents to the browsers' built-in list, which takes a submission (hstspreload.org) and a
# year's max-age, and months to leave: see SECURITY.md before submitting.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): the site's own scripts, styles, fonts and images
# only; no inline script or style, no eval, no plugins, never in a frame. One static header
# for every visitor, so no nonces: the page cache serves pages as they were rendered.


def origin(url):
    """scheme://host[:port] of an absolute address, else None (a path on this site)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Photos are linked under MEDIA_URL, on this site unless it names another host; a bucket's
# signed addresses (PORTAL_MEDIA_REDIRECT), a CDN or others are added by PORTAL_CSP_IMG_SRC.
image_sources = ["'self'", *filter(None, [origin(MEDIA_URL)]), *env_list("PORTAL_CSP_IMG_SRC")]
csp_directives = {
    "default-src": ["'self'"],
    "img-src": list(dict.fromkeys(image_sources)),
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Where browsers send a report of each violation (any collector, e.g. report-uri.com's).
PORTAL_CSP_REPORT_URI = os.environ.get("PORTAL_CSP_REPORT_URI", "").strip()
if PORTAL_CSP_REPORT_URI:
    if origin(PORTAL_CSP_REPORT_URI) is None and not PORTAL_CSP_REPORT_URI.startswith("/"):
        raise ImproperlyConfigured(
            f"PORTAL_CSP_REPORT_URI is {PORTAL_CSP_REPORT_URI!r}: give an https:// address "
            "or a path on this site."
        )
    csp_directives["report-uri"] = [PORTAL_CSP_REPORT_URI]
# 1: browsers report what the policy would block but block nothing (to try a change).
if env_bool("PORTAL_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_directives}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# Permissions-Policy (portal.middleware.PermissionsPolicyMiddleware): no page here needs a
# camera, a microphone, the visitor's position or any other powerful feature, nor may an
# embedded page ask for one; interest-cohort and browsing-topics opt out of ad profiling.
# Passkeys (publickey-credentials-*) keep their default, this site only: editors sign in.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Email: workflow notifications. The console in development; SMTP when a host is given.

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("DJANGO_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")

# Logging: errors to stderr, where gunicorn and systemd collect them. Django's default
# "django" logger would otherwise keep its own level and handlers (console only with DEBUG,
# mail to ADMINS), so request warnings and tracebacks would ignore DJANGO_LOG_LEVEL.

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"django.server": DEFAULT_LOGGING["formatters"]["django.server"]},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # runserver's line per request (make dev), kept as Django prints it.
        "django.server": DEFAULT_LOGGING["loggers"]["django.server"],
    },
}

# The portal

# The ministry's own country: relations page titles read "<HOME>-<Counterpart> Relations".
PORTAL_HOME_COUNTRY = os.environ.get("PORTAL_HOME_COUNTRY", "Japan")
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "Ministry of Foreign Affairs")
# The name Japanese pages and feeds show.
PORTAL_SITE_NAME_JA = os.environ.get("PORTAL_SITE_NAME_JA", "外務省")
# Where the public site is served; commands print addresses under it.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Two-factor sign-in (second_factor/; README, “Two-factor sign-in”). Who must use it:
# "publishers" (those who may publish, superusers too), "staff" (everyone who signs in to
# the admin) or "off" (nobody must; those who set up an app are still asked for its code).
# Publishers must, unless DJANGO_DEBUG is on.
PORTAL_TWO_FACTOR_REQUIRED = os.environ.get("PORTAL_TWO_FACTOR_REQUIRED", "").strip().lower() or (
    "off" if DEBUG else "publishers"
)
if PORTAL_TWO_FACTOR_REQUIRED not in ("publishers", "staff", "off"):
    raise ImproperlyConfigured(
        f"PORTAL_TWO_FACTOR_REQUIRED is {PORTAL_TWO_FACTOR_REQUIRED!r}; it may be "
        "'publishers', 'staff' or 'off'."
    )
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = PORTAL_SITE_NAME

# Passkeys (django-otp-webauthn). A passkey belongs to a domain name, its relying party id
# (the host of PORTAL_BASE_URL by default), and is offered only to pages served from an
# allowed origin (PORTAL_BASE_URL's own by default). An address is never a relying party
# id: a loopback PORTAL_BASE_URL (the development default) gives "localhost" in its stead,
# so passkeys work at http://localhost:PORT. A passkey is a second factor after the
# password, never a way in alone.
_base_url = urlsplit(PORTAL_BASE_URL)
_base_host = _base_url.hostname or "localhost"
if _base_host in ("127.0.0.1", "::1"):
    _base_host = "localhost"
_base_port = f":{_base_url.port}" if _base_url.port else ""
OTP_WEBAUTHN_RP_ID = os.environ.get("PORTAL_WEBAUTHN_RP_ID", "").strip() or _base_host
OTP_WEBAUTHN_RP_NAME = PORTAL_SITE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("PORTAL_WEBAUTHN_ORIGINS") or [
    f"{_base_url.scheme}://{_base_host}{_base_port}"
]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

TAGGIT_CASE_INSENSITIVE = True
# Tags typed by editors are separated by commas only: “North Korea” is one topic.
TAGGIT_TAGS_FROM_STRING = "meetings.models.topics.tags_from_text"
TAGGIT_STRING_FROM_TAGS = "meetings.models.topics.text_from_tags"

# Importing: what one readout may hold, alike in the admin and on the command line. A file
# beyond these limits is reported and skipped; the rest of a batch is imported.

PORTAL_IMPORT_MAX_BYTES = int(os.environ.get("PORTAL_IMPORT_MAX_BYTES", 1024 * 1024))
PORTAL_IMPORT_MAX_FILES = int(os.environ.get("PORTAL_IMPORT_MAX_FILES", "200"))
PORTAL_IMPORT_MAX_ITEMS = int(os.environ.get("PORTAL_IMPORT_MAX_ITEMS", "300"))
PORTAL_IMPORT_MAX_PHOTOS = int(os.environ.get("PORTAL_IMPORT_MAX_PHOTOS", "30"))
# Meetings dated before this year, or more than a year from today, are typing mistakes.
PORTAL_EARLIEST_YEAR = int(os.environ.get("PORTAL_EARLIEST_YEAR", "1945"))
