"""Roles and what each may see."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"
    TECHNICIAN = "technician"
    CLIENT = "client"
    # An aannemer without an ERP of its own: works its orders in the contractor portal.
    CONTRACTOR = "contractor"


ROLE_LABELS: dict[str, str] = {
    "admin": "Beheerder",
    "supervisor": "Supervisie",
    "agent": "Meldkamermedewerker",
    "technician": "Servicemonteur",
    "client": "Opdrachtgever",
    "contractor": "Aannemer",
}

# The meldkamer's own people: they work on every client's dossiers.
DESK_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AGENT})
