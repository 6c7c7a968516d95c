"""A triage protocol: per subject a decision tree of questions that ends in an outcome.

Plain, immutable data. Loading (from YAML/JSON) leaves fields that are required to *publish*
optional, so that `check_protocol` can report every gap at once instead of the loader stopping
at the first one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from server.domain.codes import TriageAction, Urgency


class Condition(StrEnum):
    """Facts about the moment of the call, evaluated in Europe/Amsterdam."""

    WINTER = "winter"
    ZOMER = "zomer"
    KANTOOR_NIET_BINNEN_24U_BEREIKBAAR = "kantoor_niet_binnen_24u_bereikbaar"
    BUITEN_KANTOORTIJD = "buiten_kantoortijd"


@dataclass(frozen=True)
class Branch:
    """Go to `then` when the condition holds at the moment of the call, else to `otherwise`."""

    when: Condition
    then: Target | None
    otherwise: Target | None


# A question id, an outcome id (both within the subject), or a conditional choice between two.
Target = str | Branch


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    next: Target | None
    # Choosing this answer makes the report acuut and the client must be told at once.
    endangers_habitability: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]
    help: str | None = None
    # The question as a tenant reads it online (/melden); without one, `text` is shown.
    tenant_text: str | None = None

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def for_tenant(self) -> str:
        return self.tenant_text or self.text


@dataclass(frozen=True)
class Escalation:
    role: str
    deadline_hours: int


@dataclass(frozen=True)
class Outcome:
    id: str
    label: str
    urgency: Urgency | None
    action: TriageAction | None
    order_type: str | None = None
    trade: str | None = None
    labour_minutes: int | None = None
    notices: tuple[str, ...] = ()
    description: str = ""
    inform_client: bool = False
    # The outcome itself means habitability is in danger (a fire, a gas leak): no answer has
    # to say so. Like an answer that says so, it must be acuut and inform the client.
    endangers_habitability: bool = False
    refer_to: str | None = None
    knowledge: str | None = None
    escalation: Escalation | None = None
    # What the tenant does until help arrives (gas: ventilate, no switches), on their page.
    tenant_advice: str = ""
    # VERA codes for the chain (server/chain, docs/chain.md): DEFECTSOORT, DEFECTLOCATIE,
    # DEFECTOORZAAK, VERREKENINGSOORT (VER: charged to the tenant) and whether the glass fund
    # (PRIJSCOMPONENTDETAILSOORT GLF) pays.
    defect_kind: str | None = None
    defect_location: str | None = None
    defect_cause: str | None = None
    settlement: str | None = None
    glass_fund: bool = False


@dataclass(frozen=True)
class Subject:
    id: str
    label: str
    start: Target | None
    questions: tuple[Question, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    help: str | None = None

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)


@dataclass(frozen=True)
class Protocol:
    client: str | None
    version: int
    subjects: tuple[Subject, ...] = field(default=())

    def subject(self, subject_id: str) -> Subject | None:
        return next((s for s in self.subjects if s.id == subject_id), None)
