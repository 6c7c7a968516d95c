"""The subject search of the intake: a client's current protocol, searched by tenants' words."""

from __future__ import annotations

from server import scoping
from server.knowledge import subjects
from server.knowledge.subjects import SubjectMatch
from server.models import User
from server.protocols import protocols


async def find_subjects(user: User, code: str, query: str) -> list[SubjectMatch]:
    """Subjects of the client's current protocol matching `query`, best first; another
    client's protocol is not found, as elsewhere."""
    client = await scoping.client(user, code)
    version = await protocols.current(client)
    return subjects.find(protocols.protocol(client, version), query)
