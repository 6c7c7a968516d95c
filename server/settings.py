"""All settings, read once from the environment (twelve-factor).

Tests set the environment before importing this module. Every setting is documented in
docs/settings.md; tests/test_docs.py fails when one is not.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.config import Config
from starlette.datastructures import Secret

ROOT = Path(__file__).resolve().parent.parent
config = Config()

VAR_DIR = Path(config("VAR_DIR", default=str(ROOT / "var")))
DATABASE_URL: str = config("DATABASE_URL", default=f"sqlite://{VAR_DIR / 'meldkamer.sqlite3'}")
REDIS_URL: str | None = config("REDIS_URL", default=None) or None
MEDIA_ROOT = Path(config("MEDIA_ROOT", default=str(VAR_DIR / "media")))
BASE_URL: str = config("BASE_URL", default="http://localhost:8000").rstrip("/")
TIMEZONE = "Europe/Amsterdam"
# Failed logins allowed per username (and per address) in LOGIN_WINDOW_MINUTES.
LOGIN_MAX_FAILURES: int = config("LOGIN_MAX_FAILURES", cast=int, default=5)
LOGIN_WINDOW_MINUTES: int = config("LOGIN_WINDOW_MINUTES", cast=int, default=15)
# Bearer tokens for the API and the technician app: a long-lived device session.
TOKEN_DAYS: int = config("TOKEN_DAYS", cast=int, default=90)
SESSION_HOURS: int = config("SESSION_HOURS", cast=int, default=12)


def _secret_key() -> Secret:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    value = config("SECRET_KEY", default=None)
    if value:
        return Secret(value)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return Secret(path.read_text().strip())


SECRET_KEY = _secret_key()
HTTPS = BASE_URL.startswith("https://")
# Closed dossiers move to the archive this many days after closing (nightly job).
ARCHIVE_AFTER_DAYS: int = config("ARCHIVE_AFTER_DAYS", cast=int, default=14)
