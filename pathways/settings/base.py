"""Settings shared by every environment; anything that differs per machine comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # our apps first, so their templates override the libraries'
    "core",
    "people",
    "cms",
    "courses",
    "cohorts",
    "incentives",
    "credentials",
    "outcomes",
    "api",
    "demo",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    # libraries
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",  # the second factor staff sign in with (people.two_factor)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.chrome.LocaleOncePerRequest",  # Wagtail's active Locale looked up once per request
    "pathways.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pathways.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): this session passed the second factor
    "pathways.middleware.SecondFactorMiddleware",  # staff who must have one go nowhere else until they do
    "django.contrib.messages.middleware.MessageMiddleware",
    "people.sessions.SessionPolicyMiddleware",  # idle and absolute timeouts, password asked again
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into its page
]

ROOT_URLCONF = "pathways.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.chrome.branding",
            ],
        },
    },
]

WSGI_APPLICATION = "pathways.wsgi.application"

# --- database: DATABASE_URL, or a SQLite file in the project
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "pathways.sqlite"  # the real bound-variable limit (pathways/sqlite/base.py)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- how long a sign-in lasts (people.sessions): staff 30 minutes idle and 12 hours at most; learners on their own
# phone 30 days; sensitive pages want the password typed in the last 10 minutes.
SESSION_COOKIE_AGE = int(timedelta(days=30).total_seconds())
PATHWAYS_STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
PATHWAYS_STAFF_SESSION_LIFETIME = timedelta(hours=12)
PATHWAYS_LEARNER_SESSION_LIFETIME = timedelta(days=30)
PATHWAYS_REAUTHENTICATION_WINDOW = timedelta(minutes=10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "people.passwords.MinimumLengthByRoleValidator"},  # staff 12, learners 8
    {"NAME": "people.passwords.NoNamesValidator"},  # no product, organization or user name
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- failed sign-ins (django-axes): after AXES_FAILURE_LIMIT failures for one username from one address, that
# username is paused at that address for AXES_COOLOFF_MINUTES (elsewhere it still signs in); an address with
# PATHWAYS_ADDRESS_FAILURE_LIMIT failures across any usernames is paused for everyone there
# (people.lockout.PairAndAddressHandler). A password reset from the account's email ends its pause. Its backend
# must come first; it only refuses, ModelBackend signs in. Attempts live in the database (shared by every
# process); a success clears them. Successful sign-ins are not logged (no IP/user-agent history kept).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "60")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # the pair, then the address alone
AXES_HANDLER = "people.lockout.PairAndAddressHandler"
PATHWAYS_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"  # the same address rule as our other limits
# How many proxies in front of gunicorn append to X-Forwarded-For (nginx: 1). 0 trusts REMOTE_ADDR only.
PATHWAYS_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_LOCKOUT_CALLABLE = "people.lockout.locked_out"
AXES_USERNAME_CALLABLE = "people.lockout.attempted_username"  # what was typed, cut to what axes stores

# --- the second factor (django-otp; people.two_factor): program managers and partner staff always, instructors
# where their organization asks for it. An authenticator app (TOTP) and ten single-use recovery codes.
OTP_TOTP_ISSUER = "Pathways"

# --- Content-Security-Policy (django-csp 4): no inline script anywhere, no inline style on our pages (the
# one dynamic rule, the brand colour, carries a per-response nonce). The Wagtail admin gets its own, looser
# policy (see pathways.middleware.ContentSecurityPolicyMiddleware).
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        # Video blocks embed players from these hosts (Wagtail embeds); add others with CSP_FRAME_HOSTS.
        "frame-src": [
            SELF,
            *env_list(
                "CSP_FRAME_HOSTS",
                "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com",
            ),
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Inside the Wagtail admin (signed-in staff; not its sign-in and password-reset pages) these replace the
# site's directives of the same name (pathways.middleware). Wagtail 8.0 still needs inline script and style
# there: its date/time widgets and InlinePanel render <script> blocks, jQuery runs the scripts inside
# HTML it inserts (StreamField, choosers), and the editor's libraries inject <style> elements
# (wagtail/wagtail#1288). No 'unsafe-eval', no other hosts. It previews pages in a same-origin frame and
# shows uploads as blob:/data: images.
ADMIN_CONTENT_SECURITY_POLICY = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-ancestors": [SELF],
}

# --- languages. Haitian Creole is not in Django's table, so it is described here.
LANG_INFO.setdefault("ht", {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"})
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt-br", _("Brazilian Portuguese")),
    ("ht", _("Haitian Creole")),
    ("zh-hans", _("Simplified Chinese")),
    ("ar", _("Arabic")),
]
# Date formats Django lacks (Haitian Creole); its month and weekday names come from our catalog.
FORMAT_MODULE_PATH = ["pathways.formats"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_TZ = True

# --- files. Public media for CMS images and documents; a separate private root for
# evidence files and certificates, which is never served by URL (views stream it
# after a permission check).
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- email
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pathways <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: with no broker configured, tasks run eagerly in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
PATHWAYS_EAGER_TASKS_IN_BACKGROUND = False  # dev: eager tasks in a background thread (pathways/celery.py)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Longer than the longest task, so Redis never redelivers a task still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 60 * 60}

# --- Wagtail
WAGTAIL_SITE_NAME = "Pathways"
WAGTAILADMIN_BASE_URL = os.environ.get("PATHWAYS_BASE_URL", "http://127.0.0.1:8000")
# The address the public reaches this site at: printed on every certificate and in its QR code, so
# employers open it for years. Required in production (https, the real host; `check --deploy` says so);
# here it defaults to the base URL above, the dev server's.
PATHWAYS_PUBLIC_URL = os.environ.get("PATHWAYS_PUBLIC_URL", WAGTAILADMIN_BASE_URL).rstrip("/")

# Open Badges 3.0 (credentials.openbadges): the Ed25519 private key every badge and status list is signed
# with, as PEM or JWK. Production must set it (a deploy check says so); development and tests make one in
# private storage on first use. The issuer name is the program's, the parent of every partner that issues.
PATHWAYS_OPEN_BADGES_KEY = os.environ.get("PATHWAYS_OPEN_BADGES_KEY", "")
PATHWAYS_OPEN_BADGES_GENERATE_KEY = False
PATHWAYS_OPEN_BADGES_ISSUER_NAME = os.environ.get("PATHWAYS_OPEN_BADGES_ISSUER_NAME", WAGTAIL_SITE_NAME)

# Phone numbers (core.phones) are stored in E.164; one typed without a country code is read as a number of
# this region (an ISO 3166 code such as "US", "SO", "AF", "HT").
PATHWAYS_PHONE_REGION = os.environ.get("PATHWAYS_PHONE_REGION", "US").upper()
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests that reveal staff email hashes
# No SVG: an SVG is a document that can run script, and uploaded images are served from our own origin.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# Demo logins may only be created where a setting explicitly allows it.
PATHWAYS_ALLOW_DEMO_DATA = False

# The funder report's default period (outcomes.filters.report_period): "activity", from the first day a cohort
# ran in the last twelve months to today; or "program_year", from OUTCOMES_PROGRAM_YEAR_START (month, day).
OUTCOMES_REPORT_PERIOD = os.environ.get("OUTCOMES_REPORT_PERIOD", "activity")
OUTCOMES_PROGRAM_YEAR_START = (7, 1)

# --- scheduled jobs (celery beat)
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "compute-previous-month-bonuses": {
        "task": "incentives.tasks.compute_previous_month",
        "schedule": crontab(minute=0, hour=2, day_of_month=1),
    },
    "expire-seat-offers": {"task": "cohorts.tasks.expire_offers", "schedule": crontab(minute="*/15")},
    # Certificate files a killed process left without their credential (credentials.services).
    "sweep-orphan-certificates": {
        "task": "credentials.tasks.sweep_orphan_certificates",
        "schedule": crontab(minute=30, hour=3),
    },
}
