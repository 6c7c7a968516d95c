"""The account mails (invitation, password reset), over the platform's SMTP server."""

from __future__ import annotations

import html
import secrets

from server import settings
from server.domain.errors import AppError
from server.domain.roles import ROLE_LABELS
from server.messaging.email import SmtpSettings, build_email, send_email
from server.messaging.errors import SendError
from server.models import User


class MailNotSent(AppError):
    status = 502


def smtp() -> SmtpSettings | None:
    if not settings.SMTP_HOST:
        return None
    return SmtpSettings(
        host=settings.SMTP_HOST,
        port=settings.SMTP_PORT,
        username=settings.SMTP_USER,
        password=settings.SMTP_PASSWORD,
        starttls=settings.SMTP_STARTTLS,
        use_tls=settings.SMTP_PORT == 465,
    )


async def _send(user: User, subject: str, lines: list[str], link: str) -> None:
    server = smtp()
    if server is None:
        raise MailNotSent("Er is geen mailserver ingesteld (SMTP_HOST): geef de link zelf door.")
    text = "\n\n".join([f"Beste {user.full_name or user.username},", *lines, link])
    body = "".join(
        f"<p>{html.escape(line)}</p>"
        for line in [f"Beste {user.full_name or user.username},", *lines]
    )
    body += f'<p><a href="{html.escape(link)}">{html.escape(link)}</a></p>'
    message = build_email(
        to=user.email,
        to_name=user.full_name,
        subject=subject,
        text=text,
        html=body,
        from_address=settings.MAIL_FROM,
        from_name="Meldkamer",
        reference=f"account-{user.id}-{secrets.token_hex(6)}",
    )
    try:
        await send_email(message, server)
    except SendError as exc:
        raise MailNotSent(f"De mail aan {user.email} is niet verstuurd: {exc}") from exc


async def send_invite(user: User, link: str) -> None:
    role = ROLE_LABELS.get(user.role, user.role)
    await _send(
        user,
        "Uitnodiging voor de meldkamer",
        [
            f"U bent uitgenodigd als {role.lower()} met gebruikersnaam {user.username}.",
            "Kies met deze link binnen 7 dagen uw wachtwoord. De link werkt één keer.",
        ],
        link,
    )


async def send_reset(user: User, link: str) -> None:
    await _send(
        user,
        "Wachtwoord opnieuw instellen",
        [
            f"Iemand vroeg een nieuw wachtwoord aan voor {user.username}.",
            "Kies met deze link binnen 2 uur een nieuw wachtwoord; de link werkt één keer."
            " Vroeg u dit niet aan, dan kunt u deze mail negeren.",
        ],
        link,
    )
