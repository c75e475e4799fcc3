"""Configuration from environment variables (SPEC §1)."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def normalise_database_url(url: str) -> str:
    """Point plain postgresql:// URLs at psycopg 3, the driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_secret_key() -> str:
    """Use SECRET_KEY, else a dev key generated once into instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'app.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = load_secret_key()
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    #: On a demo server demo accounts keep their published password.
    DEMO_MODE = env_flag("DEMO_MODE")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "shouwang@localhost")
    #: STARTTLS after connecting (port 587), or TLS from the start (port 465)
    MAIL_USE_TLS = env_flag("MAIL_USE_TLS")
    MAIL_USE_SSL = env_flag("MAIL_USE_SSL")
    #: seconds to wait for the mail server before a reminder is recorded as failed
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    HOTLINE = os.environ.get("HOTLINE", "12356")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    #: API calls with a missing or wrong bearer token, per client address (only those count)
    API_AUTH_RATE_LIMIT = os.environ.get("API_AUTH_RATE_LIMIT", "20 per minute;100 per hour")
    #: API tokens a user may create
    TOKEN_RATE_LIMIT = os.environ.get("TOKEN_RATE_LIMIT", "10 per hour")
    #: CSRF failures and refused requests (403, out of scope) written to the audit log per
    #: client address and minute (every one is refused; past this they are not all written)
    CSRF_AUDIT_LIMIT = "30 per minute"
    #: reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = BASE_URL.startswith("https://")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    #: a sign-in ends after this long without a request, and after SESSION_MAX_HOURS at most
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", "12")))
    #: the cookie is signed and sent again when the session changes, not on every response:
    #: in use that is about once a minute (the last-seen time, blueprints/session_limits.py),
    #: so its expiry still slides and never ends a sign-in before the two limits above do
    SESSION_REFRESH_EACH_REQUEST = False
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh_CN", "en")

    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(BASE_DIR / "content"))
    #: evidence files, outside the web root; a shared directory when several servers run
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
    #: a TrueType/OpenType font (.ttf/.otf/.ttc) with Chinese glyphs for PDFs; found among
    #: the system's fonts when unset (Debian: apt-get install fonts-noto-cjk)
    PDF_FONT = os.environ.get("PDF_FONT", "")
    #: the issuing body printed on certificates whose program names none
    ISSUER = os.environ.get("ISSUER", "守望 Shouwang")
    PER_PAGE = 50
    INVITE_VALID_DAYS = 14


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = True
    SECRET_KEY = "test-secret-key"
    DEMO_MODE = False
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "1000 per minute"
    API_AUTH_RATE_LIMIT = TOKEN_RATE_LIMIT = "1000 per minute"
    SERVER_NAME = None
