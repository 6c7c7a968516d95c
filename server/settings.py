"""All settings, read once from the environment (twelve-factor).

Tests set the environment before importing this module. Every setting is documented in
docs/settings.md; tests/test_docs.py fails when one is not.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.config import Config
from starlette.datastructures import Secret

from media.limits import DEFAULT_LIMITS

ROOT = Path(__file__).resolve().parent.parent
config = Config()

VAR_DIR = Path(config("VAR_DIR", default=str(ROOT / "var")))
DATABASE_URL: str = config("DATABASE_URL", default=f"sqlite://{VAR_DIR / 'meldkamer.sqlite3'}")
# PostgreSQL connections each app or worker process may hold (asyncpg's pool). The ORM's
# default of 5 was the queue every request waited in under load (docs/performance.md; the
# call-event webhook, docs/contacts.md). A `?maxsize=` in DATABASE_URL wins; PostgreSQL's
# max_connections must exceed (app processes + workers) x this.
DATABASE_POOL_SIZE: int = config("DATABASE_POOL_SIZE", cast=int, default=20)
# Intakes handled at once per process; more wait their turn (server/dossiers/intake.py). Two
# of the writer's batches: one in the database, the next filling up. Their reads and writes go
# in batches, a connection each, so the pool's size no longer bounds them (docs/performance.md,
# ninth pass: at the pool's size the batches stayed small and each intake cost PostgreSQL twice).
INTAKE_CONCURRENCY: int = config("INTAKE_CONCURRENCY", cast=int, default=100)
REDIS_URL: str | None = config("REDIS_URL", default=None) or None
MEDIA_ROOT = Path(config("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The public address. Unset, it is where `meldkamer serve` listens (served_at), so links in
# messages and the address `make run` prints follow the port chosen; set it behind a proxy and
# wherever workers send messages.
BASE_URL_SET = bool(config("BASE_URL", default=""))
BASE_URL: str = config("BASE_URL", default="http://localhost:8000").rstrip("/")


def served_at(host: str, port: int) -> str:
    """Make BASE_URL the address the app is served at, unless BASE_URL is set; returns it."""
    global BASE_URL
    if not BASE_URL_SET:
        shown = (
            "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "::1", "localhost", "") else host
        )
        BASE_URL = f"http://{shown}:{port}"
    return BASE_URL


TIMEZONE = "Europe/Amsterdam"
# Failed logins allowed per username (and per address) in LOGIN_WINDOW_MINUTES.
LOGIN_MAX_FAILURES: int = config("LOGIN_MAX_FAILURES", cast=int, default=5)
LOGIN_WINDOW_MINUTES: int = config("LOGIN_WINDOW_MINUTES", cast=int, default=15)
# Proxies whose X-Forwarded-For / -Proto are believed (IPs or networks, comma-separated);
# empty: none, every request is from its direct peer (the login limit counts that address).
TRUSTED_PROXIES: tuple[str, ...] = tuple(
    part.strip() for part in config("TRUSTED_PROXIES", default="").split(",") if part.strip()
)
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
# An https BASE_URL makes cookies Secure and sends Strict-Transport-Security.
HTTPS = BASE_URL.startswith("https://")

# Limits on requests (docs/security.md). Bodies are counted as they arrive and refused (413)
# past the limit: forms and JSON, and the few routes that take files (photos up to media's
# limit plus room for multipart framing, a full sync batch, a protocol file).
MAX_BODY_BYTES: int = config("MAX_BODY_BYTES", cast=int, default=1_000_000)
MAX_UPLOAD_BYTES: int = config(
    "MAX_UPLOAD_BYTES", cast=int, default=DEFAULT_LIMITS.max_bytes + 1_000_000
)
# Seconds for the request line and headers, counted from the connection (or the previous
# answer); for the body, plus one second per 500 bytes received (408 after).
REQUEST_HEAD_TIMEOUT: float = config("REQUEST_HEAD_TIMEOUT", cast=float, default=20.0)
REQUEST_BODY_TIMEOUT: float = config("REQUEST_BODY_TIMEOUT", cast=float, default=20.0)
# Seconds an idle connection is kept open for the next request.
KEEP_ALIVE_TIMEOUT: int = config("KEEP_ALIVE_TIMEOUT", cast=int, default=5)
# Open connections one `meldkamer serve` process takes; requests beyond it get 503.
MAX_CONNECTIONS: int = config("MAX_CONNECTIONS", cast=int, default=1000)
# Serving and operating (docs/deploy.md). App processes of one `meldkamer serve`.
SERVE_WORKERS: int = config("SERVE_WORKERS", cast=int, default=1)
# Prometheus' bearer token for /metrics (an admin's login works too); empty: admins only.
METRICS_TOKEN: str = config("METRICS_TOKEN", default="")
# Log lines: "json" (one object per line, for a log collector) or "text" (for a terminal).
LOG_FORMAT: str = config("LOG_FORMAT", default="json")
LOG_LEVEL: str = config("LOG_LEVEL", default="INFO").upper()
# Closed dossiers move to the archive this many days after closing (nightly job).
ARCHIVE_AFTER_DAYS: int = config("ARCHIVE_AFTER_DAYS", cast=int, default=14)
# Tenants' name, phone and e-mail leave archived dossiers this long after closing (0: never).
RETENTION_DAYS: int = config("RETENTION_DAYS", cast=int, default=730)
# Changes for technicians' devices older than this are pruned nightly (0: never); a device
# that has not pulled for longer gets a full reset (docs/sync.md).
SYNC_CHANGE_DAYS: int = config("SYNC_CHANGE_DAYS", cast=int, default=30)

# Dispatch: where addresses are and how long the drive takes (docs/geo.md).
# Online geocoder as KIND+URL (pdok+https://..., nominatim+https://..., photon+http://...);
# empty: the housing stock, the cache and the offline postcode table only.
GEOCODER_URL: str = config("GEOCODER_URL", default="")
# Seconds the whole geocoding of one address may take (it runs in the background).
GEOCODER_TIMEOUT: float = config("GEOCODER_TIMEOUT", cast=float, default=2.0)
# OSRM-compatible routing engine (base URL before /table/v1); empty: estimate from distance.
ROUTING_URL: str = config("ROUTING_URL", default="")
# Seconds the routing engine may take for one suggestion's table; then the estimate stands.
ROUTING_TIMEOUT: float = config("ROUTING_TIMEOUT", cast=float, default=1.0)
# A technician's reported position counts (and is kept) this long, only while he is on duty.
POSITION_MAX_AGE_MINUTES: int = config("POSITION_MAX_AGE_MINUTES", cast=int, default=30)
ROAD_FACTOR: float = config("ROAD_FACTOR", cast=float, default=1.3)
TRAVEL_SPEED_KMH: float = config("TRAVEL_SPEED_KMH", cast=float, default=40.0)
# Map tiles for the dispatch board, e.g. https://tiles.example.nl/{z}/{x}/{y}.png on a server
# you run or contract; empty: markers on a plain background, no request leaves the site.
MAP_TILE_URL: str = config("MAP_TILE_URL", default="")


def _kept(name: str, make: str) -> str:
    """A value generated once and kept under var/ (for a secret the environment lacks)."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make)
        path.chmod(0o600)
    return path.read_text().strip()


def _vapid_pair() -> tuple[str, str]:
    """VAPID keys from the environment, else a pair generated once and kept under var/."""
    private = config("VAPID_PRIVATE_KEY", default=None)
    public = config("VAPID_PUBLIC_KEY", default=None)
    if private and public:
        return str(private), str(public)
    from server.messaging.push import generate_vapid_keys

    path = VAR_DIR / "vapid_keys"
    if not path.exists():
        keys = generate_vapid_keys()
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{keys.private_key}\n{keys.public_key}\n")
        path.chmod(0o600)
    kept_private, kept_public = path.read_text().split()
    return kept_private, kept_public


# Messages to tenants and clients (docs/messaging.md). Without SMS_PRODUCT_TOKEN or SMTP_HOST
# that channel is off: messages are recorded on the timeline as not sent, intake goes on.
SMS_PROVIDER_URL: str = config(
    "SMS_PROVIDER_URL", default="https://gw.messaging.cm.com/v1.0/message"
)
SMS_PRODUCT_TOKEN: str = config("SMS_PRODUCT_TOKEN", default="")
SMS_SENDER: str = config("SMS_SENDER", default="Meldkamer")
# CM does not sign its delivery reports; this secret in the webhook path stands in for that.
SMS_WEBHOOK_SECRET: str = config("SMS_WEBHOOK_SECRET", default="") or _kept(
    "sms_webhook_secret", secrets.token_urlsafe(24)
)
SMTP_HOST: str = config("SMTP_HOST", default="")
SMTP_PORT: int = config("SMTP_PORT", cast=int, default=587)
SMTP_USER: str = config("SMTP_USER", default="")
SMTP_PASSWORD: str = config("SMTP_PASSWORD", default="")
SMTP_STARTTLS: bool = config("SMTP_STARTTLS", cast=bool, default=True)
MAIL_FROM: str = config("MAIL_FROM", default="berichten@meldkamer.invalid")
VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY = _vapid_pair()
VAPID_SUBJECT: str = config("VAPID_SUBJECT", default="mailto:beheer@meldkamer.invalid")
# Web Push services a browser subscription may point at (host or parent domain): the server
# posts to the endpoint, so an arbitrary address must not be accepted from a page.
PUSH_SERVICE_HOSTS: tuple[str, ...] = tuple(
    host.strip().lower()
    for host in config(
        "PUSH_SERVICE_HOSTS",
        default=(
            "fcm.googleapis.com,jmt17.google.com,push.services.mozilla.com,"
            "notify.windows.com,push.apple.com"
        ),
    ).split(",")
    if host.strip()
)
QUIET_HOURS: str = config("QUIET_HOURS", default="21:00-08:00")
# Tracking and survey links in messages stay valid this long after they were sent.
TRACKING_DAYS: int = config("TRACKING_DAYS", cast=int, default=30)
# First wait before a failed send is tried again; doubled on every further try.
SEND_RETRY_SECONDS: float = config("SEND_RETRY_SECONDS", cast=float, default=30.0)
# Without Redis the app itself sends messages held by quiet hours this often (0: off).
OUTBOX_SWEEP_SECONDS: float = config("OUTBOX_SWEEP_SECONDS", cast=float, default=60.0)
# The chain (docs/chain.md): first retry after this many seconds, doubling up to
# CHAIN_RETRY_MAX_SECONDS; a message is given up CHAIN_GIVE_UP_HOURS after it was made.
CHAIN_RETRY_SECONDS: float = config("CHAIN_RETRY_SECONDS", cast=float, default=60.0)
CHAIN_RETRY_MAX_SECONDS: float = config("CHAIN_RETRY_MAX_SECONDS", cast=float, default=900.0)
CHAIN_GIVE_UP_HOURS: float = config("CHAIN_GIVE_UP_HOURS", cast=float, default=24.0)
# Excel exports of more dossiers than this run as a background job, offered when done.
EXPORT_JOB_ROWS: int = config("EXPORT_JOB_ROWS", cast=int, default=20000)

# Telephony (docs/contacts.md). The call-event API checks an HMAC of each request under this
# secret (several, comma-separated, while changing it); generated once under var/ when unset.
TELEPHONY_SECRETS: tuple[str, ...] = tuple(
    s.strip()
    for s in (
        config("TELEPHONY_SECRET", default="")
        or _kept("telephony_secret", secrets.token_urlsafe(32))
    ).split(",")
    if s.strip()
)
# A signed request older (or newer) than this is refused as a replay or a wrong clock.
TELEPHONY_MAX_AGE_SECONDS: int = config("TELEPHONY_MAX_AGE_SECONDS", cast=int, default=300)
# Twilio's auth token for its Voice status callbacks; without it that endpoint is off.
TWILIO_AUTH_TOKEN: str = config("TWILIO_AUTH_TOKEN", default="")
