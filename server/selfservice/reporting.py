"""The steps of an online report, each a change to the tenant's draft (server/selfservice/
drafts.py), and the step the draft is at.

The page never tells which addresses exist before the code is confirmed: the first step takes
the home and the number or address together, checks only their form, counts the limits and
sends a code, whatever the housing stock holds. Only a confirmed tenant hears that the home is
not in the client's stock (and may try again a few times).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from media import PhotoError, store_async
from server import settings
from server.domain import normalise
from server.domain.codes import Urgency
from server.domain.errors import AppError, TooManyRequests, Unprocessable
from server.i18n import gettext as _
from server.messaging.errors import PermanentSendError
from server.messaging.numbers import check_mobile
from server.models import Address, Client, Dossier, ReportDraft
from server.protocols import protocols, triage
from server.protocols.triage import Decision, TriageInput
from server.selfservice import booking, codes, drafts, intake, limits
from server.selfservice.booking import Offer

MAX_PHOTOS = 4
MAX_DESCRIPTION = 2000
MAX_NAME = 200
# Homes a confirmed tenant may try before being asked to call.
MAX_HOME_TRIES = 5
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
_SUFFIX = re.compile(r"^[A-Za-z0-9 -]{0,10}$")


@dataclass(frozen=True)
class Home:
    postcode: str
    house_number: int
    suffix: str

    @property
    def key(self) -> str:
        return f"{self.postcode}{self.house_number}{self.suffix}"

    def to_dict(self) -> dict[str, Any]:
        return {"postcode": self.postcode, "house_number": self.house_number, "suffix": self.suffix}


def check_home(postcode: str, number: str, suffix: str) -> Home:
    """The home as typed, in the stock's form, or an error naming the field."""
    match = _POSTCODE.match(postcode or "")
    if not match:
        raise Unprocessable(_("Vul een postcode in zoals 1234 AB."), "postcode")
    digits = (number or "").strip()
    if not digits.isascii() or not digits.isdigit() or not 0 < int(digits) < 100_000:
        raise Unprocessable(_("Vul uw huisnummer in (alleen cijfers)."), "house_number")
    suffix = " ".join((suffix or "").split()).upper()
    if not _SUFFIX.match(suffix):
        raise Unprocessable(
            _("Een toevoeging is ten hoogste 10 letters of cijfers, zoals A of 2-hoog."), "suffix"
        )
    return Home((match.group(1) + match.group(2)).upper(), int(digits), suffix)


def check_contact(raw: str) -> str:
    """A mobile number (E.164) or an e-mail address (lower case) a code can be sent to."""
    raw = (raw or "").strip()
    if not raw:
        raise Unprocessable(_("Vul uw mobiele nummer of e-mailadres in."), "contact")
    if len(raw) > 254:
        raise Unprocessable(_("Dit is geen mobiel nummer of e-mailadres."), "contact")
    if "@" in raw:
        try:
            return normalise.normalise_email(raw)
        except AppError:
            raise Unprocessable(_("Dit is geen geldig e-mailadres."), "contact") from None
    try:
        return check_mobile(normalise.normalise_phone(raw))
    except (AppError, PermanentSendError):
        raise Unprocessable(
            _("Vul een mobiel nummer in (voor de sms met de code), of een e-mailadres."), "contact"
        ) from None


async def start(
    client: Client,
    draft: ReportDraft | None,
    form: dict[str, str],
    remote: str,
    language: str,
    now: datetime,
) -> tuple[ReportDraft, str | None]:
    """Step 1: the home and the number or address; a code goes out. Returns the draft and,
    when a new one was begun, the cookie value that finds it."""
    home = check_home(
        form.get("postcode", ""), form.get("huisnummer", ""), form.get("toevoeging", "")
    )
    contact = check_contact(form.get("contact", ""))
    await limits.starting(remote, contact, home.key, now)
    await drafts.sweep(now)
    cookie = None
    if draft is None or draft.verified_at is not None or draft.dossier_id is not None:
        draft, cookie = await drafts.new(client, contact, language, now)
    draft.contact = contact
    draft.language = language
    draft.data = {"home": home.to_dict(), "started_at": now.isoformat()}
    await drafts.save(draft, now, "contact", "language")
    await codes.issue(draft, client, now)
    return draft, cookie


async def confirm(
    client: Client, draft: ReportDraft, code: str, remote: str, now: datetime
) -> None:
    """Step 2: the code. Once confirmed, the home is looked up in the client's stock."""
    try:
        await codes.confirm(draft, code, now)
    except AppError as exc:
        if exc.field == "code" and "".join(code.split()).isdigit():
            await limits.wrong_code(remote, now)
        raise
    await _locate(client, draft, now)


async def resend(client: Client, draft: ReportDraft, remote: str, now: datetime) -> None:
    home = home_of(draft)
    await limits.starting(remote, draft.contact, home.key if home else "", now)
    await codes.issue(draft, client, now)


def home_of(draft: ReportDraft) -> Home | None:
    raw = draft.data.get("home")
    if not isinstance(raw, dict):
        return None
    return Home(str(raw["postcode"]), int(raw["house_number"]), str(raw.get("suffix", "")))


async def _locate(client: Client, draft: ReportDraft, now: datetime) -> None:
    home = home_of(draft)
    address = None
    if home is not None:
        address = await Address.get_or_none(
            client_id=client.id,
            postcode=home.postcode,
            house_number=home.house_number,
            suffix=home.suffix,
        )
    draft.address_id = address.id if address else None
    if address is None:
        draft.address_tries += 1
    await drafts.save(draft, now, "address_id", "address_tries")


async def correct_home(
    client: Client, draft: ReportDraft, form: dict[str, str], now: datetime
) -> None:
    """A confirmed tenant whose home was not found types it again (a few times at most)."""
    _require_confirmed(draft)
    if draft.address_tries >= MAX_HOME_TRIES:
        raise TooManyRequests(
            _("We vinden uw adres niet. Bel ons, dan helpen we u verder."), "postcode"
        )
    home = check_home(
        form.get("postcode", ""), form.get("huisnummer", ""), form.get("toevoeging", "")
    )
    draft.data = {**draft.data, "home": home.to_dict()}
    await _locate(client, draft, now)


def _require_confirmed(draft: ReportDraft) -> None:
    if draft.verified_at is None:
        raise Unprocessable(_("Bevestig eerst uw nummer of e-mailadres met de code."), "code")


def _require_home(draft: ReportDraft) -> None:
    _require_confirmed(draft)
    if draft.address_id is None:
        raise Unprocessable(_("Vul eerst een adres in dat bij ons bekend is."), "postcode")


def _require_open(draft: ReportDraft) -> None:
    if draft.dossier_id is not None:
        raise Unprocessable(_("Deze melding is al verstuurd."), "melding")


async def choose(client: Client, draft: ReportDraft, form: dict[str, str], now: datetime) -> None:
    """Step 3: the tenant's name and what the report is about."""
    _require_home(draft)
    _require_open(draft)
    name = " ".join(form.get("naam", "").split())
    if not name:
        raise Unprocessable(_("Vul uw naam in."), "naam")
    if len(name) > MAX_NAME:
        raise Unprocessable(_("Uw naam is te lang (ten hoogste 200 tekens)."), "naam")
    subject = form.get("onderwerp", "")
    protocol = protocols.protocol(client, await protocols.current(client))
    if protocol.subject(subject) is None:
        raise Unprocessable(_("Kies waar uw melding over gaat."), "onderwerp")
    data = {**draft.data, "name": name}
    if data.get("subject") != subject:
        data.update(subject=subject, answers=[], details=None)
    draft.data = data
    await drafts.save(draft, now)


def answers_of(draft: ReportDraft) -> list[tuple[str, str]]:
    return [(str(q), str(v)) for q, v in draft.data.get("answers") or []]


async def decide(client: Client, draft: ReportDraft, now: datetime) -> Decision | None:
    """The protocol's next question or its outcome for the answers so far (None before a
    subject is chosen): the desk's engine and version."""
    subject = draft.data.get("subject")
    if not subject or draft.address_id is None:
        return None
    address = await Address.get(id=draft.address_id)
    answers = TriageInput(str(subject), dict(answers_of(draft)), now)
    return await triage.decide(client, answers, address)


async def answer(
    client: Client, draft: ReportDraft, question: str, value: str, now: datetime
) -> Decision:
    """Step 4, once per question: the answer to the question the protocol asks now."""
    _require_home(draft)
    _require_open(draft)
    decision = await decide(client, draft, now)
    if decision is None:
        raise Unprocessable(_("Kies eerst waar uw melding over gaat."), "onderwerp")
    asked = decision.evaluation.next_question
    if asked is None or asked.id != question:
        raise Unprocessable(
            _("Deze vraag is al beantwoord; hieronder staat de volgende."), "antwoord"
        )
    if asked.option(value) is None:
        raise Unprocessable(_("Kies een van de antwoorden."), "antwoord")
    draft.data = {**draft.data, "answers": [*answers_of(draft), (question, value)]}
    await drafts.save(draft, now)
    decided = await decide(client, draft, now)
    assert decided is not None
    return decided


async def back(draft: ReportDraft, now: datetime) -> None:
    """One step back: the last answer is taken back, or before the first question the subject."""
    _require_open(draft)
    answers = answers_of(draft)
    if draft.data.get("details") is not None:
        draft.data = {**draft.data, "details": None}
    elif answers:
        draft.data = {**draft.data, "answers": answers[:-1]}
    else:
        draft.data = {**draft.data, "subject": None}
    await drafts.save(draft, now)


async def details(
    client: Client, draft: ReportDraft, description: str, photos: list[bytes], now: datetime
) -> None:
    """Step 5: what the tenant sees, in words and up to MAX_PHOTOS photos (through media/, its
    checks and limits). A refused photo refuses the step; what was typed stays."""
    _require_home(draft)
    _require_open(draft)
    decision = await decide(client, draft, now)
    if decision is None or decision.evaluation.outcome is None:
        raise Unprocessable(_("Beantwoord eerst alle vragen."), "antwoord")
    text = description.strip()
    if len(text) > MAX_DESCRIPTION:
        raise Unprocessable(
            _("De omschrijving is te lang (ten hoogste %(max)s tekens).")
            % {"max": MAX_DESCRIPTION},
            "omschrijving",
        )
    kept = list((draft.data.get("details") or {}).get("photos") or [])
    if len(kept) + len(photos) > MAX_PHOTOS:
        raise Unprocessable(
            _("U kunt ten hoogste %(max)s foto's meesturen.") % {"max": MAX_PHOTOS}, "fotos"
        )
    draft.data = {**draft.data, "draft_description": text}
    await drafts.save(draft, now)
    for data in photos:
        try:
            stored = await store_async(settings.MEDIA_ROOT, data)
        except PhotoError as exc:
            raise Unprocessable(
                _("Deze foto kunnen we niet gebruiken: %(why)s.") % {"why": exc.message}, "fotos"
            ) from None
        kept.append({"key": stored.key, "width": stored.width, "height": stored.height})
    draft.data = {**draft.data, "details": {"description": text, "photos": kept}}
    await drafts.save(draft, now)


async def slots(
    client: Client, draft: ReportDraft, decision: Decision, now: datetime
) -> list[Offer]:
    """The times a technician can come, earliest first, as offered now."""
    address = await Address.get(id=draft.address_id)
    return await booking.offers(booking.job(client, address, decision, now), now)


class SlotTaken(Unprocessable):
    """The time picked is no longer free; the page offers the fresh ones."""


async def finish(
    client: Client,
    draft: ReportDraft,
    now: datetime,
    *,
    slot: str = "",
    call_back: bool = False,
) -> Dossier:
    """Send the report: the dossier is made and, with a slot picked, booked. An acuut outcome
    is sent at once with the call-back flag, whatever else was asked."""
    _require_home(draft)
    if draft.dossier_id is not None:
        return await Dossier.get(id=draft.dossier_id)
    decision = await decide(client, draft, now)
    if decision is None or decision.evaluation.outcome is None:
        raise Unprocessable(_("Beantwoord eerst alle vragen."), "antwoord")
    outcome = decision.evaluation.outcome
    acuut = outcome.urgency is Urgency.ACUUT
    chosen = None
    if not acuut and booking.bookable(decision) and not call_back:
        chosen = await _chosen(client, draft, decision, slot, now)
    address = await Address.get(id=draft.address_id)
    given = draft.data.get("details") or {}
    report = intake.Report(
        client=client,
        address=address,
        name=str(draft.data.get("name") or ""),
        phone="" if "@" in draft.contact else draft.contact,
        email=draft.contact if "@" in draft.contact else "",
        description=str(given.get("description") or ""),
        language=draft.language,
        photos=tuple(given.get("photos") or ()),
        call_back=acuut or call_back,
        started_at=draft.created_at,
    )
    dossier = await intake.create(report, decision, now)
    draft.dossier_id = dossier.id
    await drafts.save(draft, now, "dossier_id")
    if chosen is not None:
        try:
            await booking.book(dossier, chosen)
        except AppError:  # taken in the very last moment: the desk plans it and calls
            await Dossier.filter(id=dossier.id).update(call_back_at=now)
    return dossier


async def _chosen(
    client: Client, draft: ReportDraft, decision: Decision, slot: str, now: datetime
) -> Offer:
    offer = Offer.parse(slot)
    if offer is None:
        raise Unprocessable(_("Kies een tijd, of vraag ons u te bellen."), "slot")
    address = await Address.get(id=draft.address_id)
    # The search decides, not the form: only a time it finds free now is booked.
    if not await booking.still_free(booking.job(client, address, decision, now), offer, now):
        raise SlotTaken(
            _("Deze tijd is intussen niet meer vrij. Kies een andere tijd; uw melding is bewaard."),
            "slot",
        )
    return offer
