"""Tortoise models: they hold data; the rules live in server/domain."""

from server.models import derived  # noqa: F401  (its save hooks keep the derived columns)
from server.models.admin import (
    AccountLink,
    ChangeRecord,
    PlatformSetting,
    StockImport,
    TwoFactor,
)
from server.models.chain import ChainMessage, Integration
from server.models.clients import Address, AddressParty, Client, Complex
from server.models.contacts import (
    CallEvent,
    Contact,
    ContactDossier,
    ContactHour,
    InboundLine,
    TransferTarget,
)
from server.models.dispatch import (
    Absence,
    ContractorCoverage,
    DispatchGeneration,
    GeocodeCache,
    RosterEntry,
    TechnicianPosition,
)
from server.models.dossiers import Dossier, DossierEvent, OrderCounter
from server.models.escalations import EscalationCase, EscalationStep
from server.models.fieldwork import DossierMessage, Photo, RepairLog
from server.models.knowledge import ContactArticle, KnowledgeArticle, KnowledgeVersion
from server.models.mail import MailboxState, MailMessage
from server.models.messages import OutboundMessage, PushFollow, PushSubscription
from server.models.notifications import ClientNotification
from server.models.people import ApiToken, Contractor, LoginThrottle, Technician, User
from server.models.privacy import DossierView, PrivacyRequest
from server.models.protocols import ProtocolVersion
from server.models.reports import ClientReport
from server.models.selfservice import ReportDraft
from server.models.surveys import CallSurvey, Survey
from server.models.sync import ChangeLog, Device, SyncOutcome, SyncPrune

MODEL_MODULES = [
    "server.models.clients",
    "server.models.people",
    "server.models.dossiers",
    "server.models.protocols",
    "server.models.notifications",
    "server.models.messages",
    "server.models.surveys",
    "server.models.dispatch",
    "server.models.fieldwork",
    "server.models.sync",
    "server.models.contacts",
    "server.models.knowledge",
    "server.models.mail",
    "server.models.privacy",
    "server.models.escalations",
    "server.models.selfservice",
    "server.models.chain",
    "server.models.admin",
    "server.models.reports",
]

__all__ = [
    "MODEL_MODULES",
    "AccountLink",
    "ChangeRecord",
    "PlatformSetting",
    "StockImport",
    "TwoFactor",
    "Absence",
    "Address",
    "AddressParty",
    "CallEvent",
    "CallSurvey",
    "ChainMessage",
    "ChangeLog",
    "ApiToken",
    "Client",
    "ClientNotification",
    "ClientReport",
    "Complex",
    "Contact",
    "ContactArticle",
    "ContactDossier",
    "ContactHour",
    "Contractor",
    "ContractorCoverage",
    "Device",
    "DispatchGeneration",
    "Dossier",
    "DossierEvent",
    "DossierMessage",
    "DossierView",
    "EscalationCase",
    "EscalationStep",
    "GeocodeCache",
    "LoginThrottle",
    "MailMessage",
    "MailboxState",
    "InboundLine",
    "Integration",
    "KnowledgeArticle",
    "KnowledgeVersion",
    "OrderCounter",
    "OutboundMessage",
    "Photo",
    "PrivacyRequest",
    "ProtocolVersion",
    "PushFollow",
    "PushSubscription",
    "RepairLog",
    "ReportDraft",
    "RosterEntry",
    "SyncOutcome",
    "SyncPrune",
    "Survey",
    "Technician",
    "TechnicianPosition",
    "TransferTarget",
    "User",
]
