"""The tenant's survey after closing: four scores from 1 to 5 and a remark, once per dossier."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from server.domain import tenant_view
from server.domain.errors import Conflict, Unprocessable
from server.insight import changes
from server.models import Dossier, Survey

QUESTIONS: dict[str, str] = {
    "friendliness": "Hoe vriendelijk was de monteur of medewerker?",
    "expertise": "Hoe vakkundig was de hulp?",
    "helpfulness": "Hoe behulpzaam was men?",
    "solution": "Hoe tevreden bent u met de oplossing?",
}
LABELS = {
    "friendliness": "vriendelijkheid",
    "expertise": "vakkundigheid",
    "helpfulness": "behulpzaamheid",
    "solution": "de oplossing",
}
MAX_REMARK = 2000
ALREADY = "U hebt de enquête voor deze melding al ingevuld. Dank u wel!"


async def answered(dossier: Dossier) -> bool:
    return await Survey.exists(dossier_id=dossier.id)


def _score(values: Mapping[str, str], name: str) -> int:
    raw = str(values.get(name, "")).strip()
    if raw not in {"1", "2", "3", "4", "5"}:
        shown = f" (niet '{raw}')" if raw else ""
        raise Unprocessable(f"Kies voor {LABELS[name]} een cijfer van 1 tot 5{shown}.", name)
    return int(raw)


def read_answers(values: Mapping[str, str]) -> tuple[dict[str, int], str]:
    """The four scores and the remark from a form, or `Unprocessable` naming the first wrong
    one (also for the survey after a call, server/communication/call_surveys.py)."""
    scores = {name: _score(values, name) for name in QUESTIONS}
    remark = str(values.get("remark", "")).strip()
    if len(remark) > MAX_REMARK:
        raise Unprocessable(
            f"Uw opmerking is {len(remark)} tekens; er passen er {MAX_REMARK}.", "remark"
        )
    return scores, remark


async def submit(dossier: Dossier, values: Mapping[str, str], at: datetime | None = None) -> Survey:
    """Store the answers, or raise and store nothing. `at`: when they were given (history)."""
    if dossier.phase not in tenant_view.SURVEY_PHASES:
        raise Unprocessable("Deze melding is nog niet afgerond; de enquête volgt daarna.", "")
    if await answered(dossier):
        raise Conflict(ALREADY)
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
        raise Conflict(ALREADY) from None
    await changes.dossier_changed(dossier)  # the dashboard's survey scores
    return survey
