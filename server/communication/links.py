"""Links for tenants without a login: signed, expiring tokens for tracking and the survey.

The token is the dossier id signed with SECRET_KEY and a timestamp (itsdangerous), with a
salt per purpose so a tracking link is never a survey link. Nothing is stored; a link expires
TRACKING_DAYS after it was made, and a changed SECRET_KEY invalidates every link.
"""

from __future__ import annotations

from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from server import settings
from server.domain.errors import AppError, NotFound
from server.i18n import gettext as _
from server.models import Dossier

TRACKING = "volg"
SURVEY = "enquete"
# The survey after a call or e-mail: signs a contact id, not a dossier's.
CALL_SURVEY = "enquete-gesprek"


class LinkInvalid(NotFound):
    """Tampered with, cut off, or for a dossier that no longer exists."""


class LinkExpired(AppError):
    status = 410


class _Signer(TimestampSigner):
    """A signer that can date a token, so a test can make one that is already old."""

    def __init__(self, purpose: str, at: datetime | None = None) -> None:
        super().__init__(str(settings.SECRET_KEY), salt=f"meldkamer.{purpose}")
        self._at = at

    def get_timestamp(self) -> int:
        return int(self._at.timestamp()) if self._at else super().get_timestamp()


def token(dossier_id: int, purpose: str, at: datetime | None = None) -> str:
    return _Signer(purpose, at).sign(str(dossier_id)).decode()


def url(dossier_id: int, purpose: str, at: datetime | None = None) -> str:
    return f"{settings.BASE_URL}/{purpose}/{token(dossier_id, purpose, at)}"


def signed_id(value: str, purpose: str, expired: str) -> int:
    """The id a link carries; `LinkInvalid` (404) or `LinkExpired` (410, saying `expired`)."""
    try:
        raw = _Signer(purpose).unsign(value, max_age=settings.TRACKING_DAYS * 86400)
    except SignatureExpired:
        raise LinkExpired(expired) from None
    except BadSignature:
        raise LinkInvalid(
            _("Deze link klopt niet. Controleer of u de hele link hebt gebruikt.")
        ) from None
    return int(raw)


async def dossier_for(value: str, purpose: str) -> Dossier:
    """The dossier a link is for; `LinkInvalid` (404) or `LinkExpired` (410) otherwise."""
    dossier_id = signed_id(
        value,
        purpose,
        _("Deze link is verlopen. Bel de meldkamer als u nog vragen hebt over uw melding."),
    )
    dossier = await Dossier.get_or_none(id=dossier_id)
    if dossier is None:
        raise LinkInvalid(_("Deze link hoort bij geen melding (meer)."))
    return dossier
