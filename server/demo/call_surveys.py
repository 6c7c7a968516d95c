"""The demo's answers to the survey after a call: most of the day's finished calls by a
mobile caller were asked, some answered, so the dashboard's call-survey tables have figures
(per client, and per agent for the desk). Written as history: nobody is sent anything."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from server.communication import call_surveys
from server.domain import call_survey
from server.models import CallSurvey, Contact

# Scores per answer (friendliness, expertise, helpfulness, solution), taken in turn; every
# third invited caller does not answer.
SCORES = ((5, 5, 4, 4), (4, 4, 4, 3), (5, 4, 5, 5), (3, 4, 3, 2), (5, 5, 5, 4))


async def write_call_surveys(now: datetime) -> int:
    finished = (
        await Contact.filter(state="afgerond", channel__in=sorted(call_survey.INBOUND_CHANNELS))
        .exclude(result_code__in=sorted(call_survey.NO_SURVEY_RESULTS))
        .order_by("closed_at", "id")
    )
    asked: set[tuple[str, object]] = set()
    answered = 0
    for index, contact in enumerate(finished):
        to = call_surveys.recipient(contact)
        if to is None or contact.closed_at is None or contact.client_id is None:
            continue
        key = call_surveys.caller_key(contact.caller)
        day = call_survey.survey_day(contact.closed_at)
        if (key, day) in asked:
            continue
        asked.add((key, day))
        when = contact.closed_at + timedelta(minutes=25)
        scores = SCORES[index % len(SCORES)] if index % 3 != 2 and when <= now else None
        answer: dict[str, Any] = {}
        if scores is not None:
            answer = dict(zip(call_survey.ASPECTS, scores, strict=True))
            answer.update(
                submitted_at=when, agent_id=contact.agent_id, agent_name=contact.agent_name
            )
        await CallSurvey.create(
            contact=contact,
            client_id=contact.client_id,
            caller_key=key,
            day=day,
            channel=to.channel.value,
            invited_at=contact.closed_at,
            **answer,
        )
        answered += scores is not None
    return answered
