"""The tenant's survey after closing: four scores from 1 to 5 and a remark, once per dossier."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from server.domain import tenant_view
from server.domain.errors import Conflict, Unprocessable
from server.i18n import N_, gettext
from server.insight import changes
from server.models import Dossier, Survey

# The tenant's texts, translated where they are shown (server/i18n).
QUESTIONS: dict[str, str] = {
    "friendliness": N_("Hoe vriendelijk was de monteur of medewerker?"),
    "expertise": N_("Hoe vakkundig was de hulp?"),
    "helpfulness": N_("Hoe behulpzaam was men?"),
    "solution": N_("Hoe tevreden bent u met de oplossing?"),
}
LABELS = {
    "friendliness": N_("vriendelijkheid"),
    "expertise": N_("vakkundigheid"),
    "helpfulness": N_("behulpzaamheid"),
    "solution": N_("de oplossing"),
}
MAX_REMARK = 2000
ALREADY = N_("U hebt de enquête voor deze melding al ingevuld. Dank u wel!")


async def answered(dossier: Dossier) -> bool:
    return await Survey.exists(dossier_id=dossier.id)


def _score(values: Mapping[str, str], name: str) -> int:
    raw = str(values.get(name, "")).strip()
    if raw not in {"1", "2", "3", "4", "5"}:
        shown = gettext(" (niet '%(raw)s')") % {"raw": raw} if raw else ""
        what = gettext(LABELS[name])
        message = gettext("Kies voor %(what)s een cijfer van 1 tot 5%(shown)s.")
        raise Unprocessable(message % {"what": what, "shown": shown}, name)
    return int(raw)


def read_answers(values: Mapping[str, str]) -> tuple[dict[str, int], str]:
    """The four scores and the remark from a form, or `Unprocessable` naming the first wrong
    one (also for the survey after a call, server/communication/call_surveys.py)."""
    scores = {name: _score(values, name) for name in QUESTIONS}
    remark = str(values.get("remark", "")).strip()
    if len(remark) > MAX_REMARK:
        message = gettext("Uw opmerking is %(length)s tekens; er passen er %(most)s.")
        raise Unprocessable(message % {"length": len(remark), "most": MAX_REMARK}, "remark")
    return scores, remark


async def submit(dossier: Dossier, values: Mapping[str, str], at: datetime | None = None) -> Survey:
    """Store the answers, or raise and store nothing. `at`: when they were given (history)."""
    if dossier.phase not in tenant_view.SURVEY_PHASES:
        raise Unprocessable(
            gettext("Deze melding is nog niet afgerond; de enquête volgt daarna."), ""
        )
    if await answered(dossier):
        raise Conflict(gettext(ALREADY))
    scores, remark = read_answers(values)
    try:
        survey = await Survey.create(
            dossier=dossier,
            client_id=dossier.client_id,  # type: ignore[attr-defined]
            friendliness=scores["friendliness"],
            expertise=scores["expertise"],
            helpfulness=scores["helpfulness"],
            solution=scores["solution"],
            remark=remark,
            submitted_at=at or datetime.now(UTC),
        )
    except IntegrityError:  # submitted twice at the same moment
        raise Conflict(gettext(ALREADY)) from None
    await changes.dossier_changed(dossier)  # the dashboard's survey scores
    return survey
