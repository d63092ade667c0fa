"""Settings shared by every environment; everything that differs comes from the environment.

The embedded default (no variables set) is SQLite plus a SQLite Celery broker, so a newcomer runs
the whole stack with one command. `DATABASE_URL` switches to PostgreSQL, `REDIS_URL` to a Redis
broker and cache.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ECOLOOP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "captcha",
    "workflow",
    "enforcement",
    "seeds",
]

MIDDLEWARE = [
    "workflow.health.HealthCheckMiddleware",  # first: probes skip the host check and redirects
    "workflow.limits.RequestSizeLimitMiddleware",  # an oversize body is refused before it is read
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
# SQLite in WAL mode with IMMEDIATE transactions: a writer takes the lock at BEGIN, so two
# concurrent transitions serialise instead of failing half-way with "database is locked".
SQLITE_PATH = VAR_DIR / "ecoloop.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if os.environ.get("ECOLOOP_TEST_DB_NAME"):
        # Lets parallel test runs on one PostgreSQL server use separate test databases.
        DATABASES["default"]["TEST"] = {"NAME": os.environ["ECOLOOP_TEST_DB_NAME"]}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # The cache is never on a write's path: a call that does not answer within 0.1 s
            # fails and the caller takes its fallback (enforcement/complaints/ratelimit.py).
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ecoloop_cache",
        }
    }

# --- auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "console:inbox"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# No "AXES: BEGIN version …" banner on every manage.py command and process start.
AXES_VERBOSE = False

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS: list[Path] = []  # each app ships its own locale/ (workflow, enforcement)

# --- static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_URL = "/media/"
# Evidence lives outside any URL space: it is only served by the permission-checked view.
MEDIA_ROOT = Path(os.environ.get("ECOLOOP_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
ECOLOOP_MAX_UPLOAD_BYTES = int(os.environ.get("ECOLOOP_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# A picture's pixels, read from its header before it is decoded (workflow/evidence.py): a phone
# photo is 12–50 MP; a larger one is more likely a decompression bomb.
ECOLOOP_MAX_IMAGE_PIXELS = int(os.environ.get("ECOLOOP_MAX_IMAGE_PIXELS", "50000000"))
# A request body over this is refused by its Content-Length before it is read
# (workflow/limits.py): ten files at the per-file limit and the form around them.
ECOLOOP_MAX_REQUEST_BYTES = int(
    os.environ.get(
        "ECOLOOP_MAX_REQUEST_BYTES", str(ECOLOOP_MAX_UPLOAD_BYTES * 10 + 2 * 1024 * 1024)
    )
)
# Behind nginx, evidence is handed to the proxy (X-Accel-Redirect) under this internal prefix
# after the permission and sha256 checks; empty means Django streams the file itself.
ECOLOOP_X_ACCEL_REDIRECT_PREFIX = os.environ.get("ECOLOOP_X_ACCEL_REDIRECT_PREFIX", "")

# --- security -------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Invalid input answers {"detail": …, "errors": {field: [messages]}}, as the schema says.
    "EXCEPTION_HANDLER": "workflow.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EcoLoop API",
    "VERSION": "0.1.0",
    # The browsable docs page serves Swagger UI from this project's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Enqueueing after a commit never waits long on a broker that is down: one quick retry, then the
# message stays in the outbox (workflow/outbox.py) for the beat's catch-up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message a killed worker held is redelivered after 5 minutes, not an hour; every
        # task is killed at CELERY_TASK_TIME_LIMIT (90 s) and none is scheduled with an ETA.
        "visibility_timeout": 300,
        "socket_connect_timeout": 0.5,
        "socket_timeout": 2.0,
    }
CELERY_BEAT_SCHEDULE = {
    # The outbox safety net: any event whose notifications were not delivered after commit.
    "deliver-pending-notifications": {
        "task": "workflow.tasks.deliver_pending_notifications",
        "schedule": 60.0,
    },
    # E-mail and SMS rows that are due: retries after a backoff, SMS held over quiet hours, and
    # whatever the immediate after-commit task never got (a lost broker message).
    "deliver-due-notifications": {
        "task": "workflow.tasks.deliver_due_notifications",
        "schedule": 60.0,
    },
    # The escalation ladder: every rung due by now fires once (workflow.escalation).
    "fire-due-deadlines": {
        "task": "workflow.tasks.fire_due_deadlines",
        "schedule": 60.0,
    },
    # Provisional deadlines are recomputed when a year's 调休 schedule is confirmed; the nightly
    # run also catches a year confirmed directly in the database.
    # Replied complaints whose rating window passed without a rating are closed (未评价).
    "close-unrated-complaints": {
        "task": "enforcement.tasks.close_unrated_complaints",
        "schedule": crontab(minute=7),
    },
    "recompute-provisional-deadlines": {
        "task": "workflow.tasks.recompute_provisional_deadlines",
        "schedule": crontab(hour=2, minute=15),
    },
    # 周排名: Monday morning, last week's; 月考核: every morning, a no-op except on the month's
    # first working day (a holiday moves it). Both are idempotent: a re-run matches the snapshot.
    "weekly-ranking": {
        "task": "enforcement.tasks.weekly_ranking",
        "schedule": crontab(day_of_week="mon", hour=6, minute=30),
    },
    "monthly-assessment": {
        "task": "enforcement.tasks.monthly_assessment",
        "schedule": crontab(hour=6, minute=45),
    },
    # 日分析: each working day's morning, every bureau's document (a no-op on other days).
    "daily-analysis": {
        "task": "enforcement.tasks.daily_analysis",
        "schedule": crontab(hour=8, minute=0),
    },
    # 周调度: Monday, after the 周排名 it reads; 月通报: after the 月考核 it is built on (a no-op
    # except on the month's first working day).
    "weekly-agenda": {
        "task": "enforcement.tasks.weekly_agenda",
        "schedule": crontab(day_of_week="mon", hour=8, minute=30),
    },
    "monthly-bulletin": {
        "task": "enforcement.tasks.monthly_bulletin",
        "schedule": crontab(hour=9, minute=0),
    },
    # 督察整改月调度: the same rhythm, last month's report of every round under way.
    "monthly-dispatch-reports": {
        "task": "enforcement.tasks.monthly_dispatch_reports",
        "schedule": crontab(hour=7, minute=0),
    },
}
# The beat's jobs have a queue of their own, so a backlog of messages never delays a sweep (the
# rungs would fire, and be dated, late). A worker started without --queues consumes every queue
# named here, taking them in turn; a dedicated `--queues periodic` worker is an option.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("periodic"))
for _job in CELERY_BEAT_SCHEDULE.values():
    _job["options"] = {"queue": "periodic"}

# --- SMS ------------------------------------------------------------------------------------
# Pluggable like e-mail backends (workflow/sms.py): FileBackend (one file per message under
# SMS_FOLDER: the embedded default), ConsoleBackend, LocmemBackend (tests), AliyunBackend and
# TencentBackend (optional extras sms-aliyun / sms-tencent).
SMS_BACKEND = os.environ.get("ECOLOOP_SMS_BACKEND", "workflow.sms.FileBackend")
SMS_FOLDER = VAR_DIR / "sms"
# Aliyun: access_key_id, access_key_secret, sign_name [, endpoint].
# Tencent: secret_id, secret_key, sdk_app_id, sign_name [, region].
SMS_OPTIONS = {
    name: os.environ.get(f"ECOLOOP_SMS_{name.upper()}", "")
    for name in (
        "access_key_id",
        "access_key_secret",
        "secret_id",
        "secret_key",
        "sdk_app_id",
        "sign_name",
        "endpoint",
        "region",
    )
}
# Our template codes → the provider's approved templates, as JSON: {"CASE_STATE": "SMS_123"}, or
# with Tencent's positional parameters {"CASE_STATE": {"id": "123", "params": ["case_no", …]}}.
SMS_TEMPLATES = json.loads(os.environ.get("ECOLOOP_SMS_TEMPLATES", "{}"))

# --- EcoLoop --------------------------------------------------------------------------------
# The first and last year whose official 调休 schedule ships in the calendar data.
ECOLOOP_CALENDAR_CONFIRMED_YEARS = (2004, 2026)
# A 督办单 issued by the ladder (L4) asks for a written reply within this many working days.
ECOLOOP_SUPERVISION_REPLY_WORKDAYS = int(os.environ.get("ECOLOOP_SUPERVISION_REPLY_WORKDAYS", "5"))
# 挂牌督办: the response a 挂牌督办通知 demands is due in six months (calendar days).
ECOLOOP_LISTED_RESPONSE_DAYS = int(os.environ.get("ECOLOOP_LISTED_RESPONSE_DAYS", "183"))
# 约谈: the rectification report is due 30 calendar days after the talk.
ECOLOOP_YUETAN_REPORT_DAYS = 30
# A local rule: 一年内被约谈两次及以上，取消年度评优资格.
ECOLOOP_YUETAN_DISQUALIFY_AT = int(os.environ.get("ECOLOOP_YUETAN_DISQUALIFY_AT", "2"))
#: 一票否决 (enforcement.rhythm.rules): a unit with an overdue 督察 task of these case types
#: loses 评优 for the year, as one 约谈ed ECOLOOP_YUETAN_DISQUALIFY_AT times does.
ECOLOOP_VETO_CASE_KINDS = tuple(env_list("ECOLOOP_VETO_CASE_KINDS", "rectification,forwarded"))
#: 多次排名靠后: in the bottom `bottom` of `times` of the last `periods` 月考核 → a 问责建议.
ECOLOOP_LAGGARD_RULE = json.loads(
    os.environ.get("ECOLOOP_LAGGARD_RULE", '{"bottom": 3, "times": 2, "periods": 3}')
)
# How often each process re-reads the calendar tables, so an override entered in the admin
# reaches every web and worker process within this many seconds.
ECOLOOP_CALENDAR_RECHECK_SECONDS = float(os.environ.get("ECOLOOP_CALENDAR_RECHECK_SECONDS", "5"))
ECOLOOP_DEMO_PASSWORD = os.environ.get("ECOLOOP_DEMO_PASSWORD", "EcoLoop-demo-2026")
# `manage.py seed` writes demo accounts with that known password; production refuses unless asked.
ECOLOOP_DEMO_SEED = env_bool("ECOLOOP_DEMO_SEED", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ECOLOOP_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # A line per request (the development server) and per 4xx; `runall` sets ERROR, so the
        # demo's console shows server errors only and its banner stays readable.
        "django.server": {
            "handlers": ["console"],
            "level": os.environ.get("ECOLOOP_REQUEST_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        "django.request": {"level": os.environ.get("ECOLOOP_REQUEST_LOG_LEVEL", "INFO")},
    },
}

# --- public complaints (enforcement/complaints) ---------------------------------------------
# Fernet keys that encrypt reporters' identities, comma-separated, newest first (rotation). The
# local and test settings derive a development key from the SECRET_KEY; production refuses to
# start without this variable.
ECOLOOP_PII_KEYS = env_list("ECOLOOP_PII_KEY")
# The address the public reaches this site at: tracking links in SMS, e-mail and the QR code.
ECOLOOP_PUBLIC_BASE_URL = os.environ.get("ECOLOOP_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# 《信访工作条例》第三十四条: a petition is answered within 60 days of acceptance, extendable once
# by at most 30. A report's clocks are local rules (reference/domain.md §1.3): settings.
ECOLOOP_PETITION_HANDLING_DAYS = 60
ECOLOOP_REPORT_HANDLING_DAYS = int(os.environ.get("ECOLOOP_REPORT_HANDLING_DAYS", "60"))
ECOLOOP_HANDLING_EXTENSION_MAX_DAYS = 30
# 第二十三条: the reporter is told within 15 days whether the complaint is accepted.
ECOLOOP_ACCEPTANCE_NOTICE_DAYS = 15
# 第三十五条: a petitioner may ask for 复查 within 30 days of the written reply.
ECOLOOP_REVIEW_REQUEST_DAYS = 30
# The reporter rates the reply within this many days; afterwards it is closed unrated.
ECOLOOP_RATING_WINDOW_DAYS = int(os.environ.get("ECOLOOP_RATING_WINDOW_DAYS", "15"))
# Duplicate suggestions: same reported unit and category within this many days, or this close.
ECOLOOP_DUPLICATE_WINDOW_DAYS = 90
ECOLOOP_DUPLICATE_RADIUS_METRES = 200
# The n-th complaint about one matter climbs the ladder: 2nd → 督办 (L4), 3rd → 提级办理 (L5).
ECOLOOP_REPEAT_COMPLAINT_RUNGS = {2: 4, 3: 5}
# Public submissions per client (IP address) and hour, on the web form and the Open311 POST.
ECOLOOP_PUBLIC_SUBMIT_RATE = os.environ.get("ECOLOOP_PUBLIC_SUBMIT_RATE", "5/hour")
# Tracking-code lookups per client and minute (a code is unguessable; this stops a scan).
ECOLOOP_PUBLIC_LOOKUP_RATE = os.environ.get("ECOLOOP_PUBLIC_LOOKUP_RATE", "30/minute")
CAPTCHA_IMAGE_SIZE = (120, 44)
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes

# --- Inspections and enforcement (reference/domain.md §2) -----------------------------------
#: 《生态环境行政处罚办法》(2023): 立案 within 15 days of finding the lead, once +15 with approval.
ECOLOOP_FILING_DAYS = 15
ECOLOOP_FILING_EXTENSION_DAYS = 15
#: 行政处罚法 第六十条: decide within 90 days of 立案; the head may extend once by ≤ 30 days.
ECOLOOP_DECISION_DAYS = 90
ECOLOOP_DECISION_EXTENSION_DAYS = 30
#: 按日连续处罚办法 (部令28号): 复查 within 30 days of serving the 责令改正决定书.
ECOLOOP_RECHECK_DAYS = 30
#: 双随机、一公开: the share of each supervision tier drawn per quarter (Chizhou's ratios by
#: default: 25 % 重点, 15 % 特殊, 5 % 一般), and how far back an inspector's own inspection of
#: an enterprise bars them from drawing it (conflict of interest).
ECOLOOP_RANDOM_RATIOS = json.loads(
    os.environ.get("ECOLOOP_RANDOM_RATIOS", '{"key": 0.25, "special": 0.15, "general": 0.05}')
)
ECOLOOP_RANDOM_CONFLICT_DAYS = int(os.environ.get("ECOLOOP_RANDOM_CONFLICT_DAYS", "365"))
#: Results of a random inspection are published within 20 working days (国发〔2019〕5号).
ECOLOOP_RANDOM_PUBLISH_WORKDAYS = 20

# --- 督察整改 (reference/domain.md §3) ---------------------------------------------------------
#: 整改方案 within 30 working days of the feedback (《中央生态环境保护督察工作规定》2019; the 2025
#: 条例 keeps a plan but its day count is unverified: a bureau sets what its province requires).
ECOLOOP_RECTIFICATION_PLAN_WORKDAYS = int(
    os.environ.get("ECOLOOP_RECTIFICATION_PLAN_WORKDAYS", "30")
)
#: 验收 within 10 working days of the application (the bureau's rule, as Huangshan's and
#: Boshan's closure procedures set one).
ECOLOOP_ACCEPTANCE_WORKDAYS = int(os.environ.get("ECOLOOP_ACCEPTANCE_WORKDAYS", "10"))
#: 公示 of a task's completion: 10 days, objections in writing (Tongcheng 2022).
ECOLOOP_PUBLICITY_DAYS = int(os.environ.get("ECOLOOP_PUBLICITY_DAYS", "10"))
#: A task 滞后 in the monthly 调度 for N months running climbs to this rung: 催办 (3) the first
#: month, 督办 (4) the second (a local rule, like the repeat complaints' rungs).
#: 即知即改 (enforcement.models.rapid): a finding is to be 交办 within 1 hour, answered (签收)
#: within 2 hours of 交办 and disposed of (反馈) within 24; a campaign may set its own hours.
ECOLOOP_RAPID_DISPATCH_HOURS = int(os.environ.get("ECOLOOP_RAPID_DISPATCH_HOURS", "1"))
ECOLOOP_RAPID_RESPONSE_HOURS = int(os.environ.get("ECOLOOP_RAPID_RESPONSE_HOURS", "2"))
ECOLOOP_RAPID_DISPOSAL_HOURS = int(os.environ.get("ECOLOOP_RAPID_DISPOSAL_HOURS", "24"))
ECOLOOP_LAGGING_RUNGS = {1: 3, 2: 4}
#: Written objections to a 公示 one client may file (the public form has a CAPTCHA too).
ECOLOOP_OBJECTION_RATE = os.environ.get("ECOLOOP_OBJECTION_RATE", "5/hour")

# --- Ecological damage compensation (reference/domain.md §4) ---------------------------------
#: 初步核查 within 30 days of finding or receiving the clue.
ECOLOOP_DAMAGE_PRELIM_DAYS = 30
#: 磋商: in principle ≤ 90 days from the notice and ≤ 3 meetings.
ECOLOOP_DAMAGE_CONSULTATION_DAYS = 90
ECOLOOP_DAMAGE_MAX_MEETINGS = 3
#: 司法确认: the court publishes the agreement for at least 30 days.
ECOLOOP_DAMAGE_PUBLICITY_DAYS = 30
#: 简易评估 for damage up to this amount (元); 2025 意见: 30万, provinces may raise it to 50万.
ECOLOOP_DAMAGE_SIMPLE_MAX = int(os.environ.get("ECOLOOP_DAMAGE_SIMPLE_MAX", "300000"))

# --- 周排名 / 月考核 (enforcement/assessment/ranking.py) ------------------------------------------
#: The formula's weights: the two rates share 100 points; each penalty is points per item.
ECOLOOP_RANKING_WEIGHTS = json.loads(
    os.environ.get(
        "ECOLOOP_RANKING_WEIGHTS",
        '{"on_time": 0.7, "satisfaction": 0.3, "overdue": 2, "returns": 1, "repeats": 2,'
        ' "yuetan": 5}',
    )
)
