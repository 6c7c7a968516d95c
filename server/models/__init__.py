"""Tortoise models: they hold data; the rules live in server/domain."""

from server.models.clients import Address, AddressParty, Client, Complex
from server.models.dossiers import Dossier, DossierEvent, OrderCounter
from server.models.people import ApiToken, Contractor, LoginAttempt, Technician, User

MODEL_MODULES = [
    "server.models.clients",
    "server.models.people",
    "server.models.dossiers",
]

__all__ = [
    "MODEL_MODULES",
    "Address",
    "AddressParty",
    "ApiToken",
    "Client",
    "Complex",
    "Contractor",
    "Dossier",
    "DossierEvent",
    "LoginAttempt",
    "OrderCounter",
    "Technician",
    "User",
]
