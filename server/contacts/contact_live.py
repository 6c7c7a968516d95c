"""Telling an agent's desk tabs about his contacts (channel `agent:{user id}`), after the
commit: a call offered to him, answered, ended, registered; or gone to a colleague."""

from __future__ import annotations

from server import live
from server.models import Contact


def channel(user_id: int) -> str:
    return f"agent:{user_id}"


async def changed(contact: Contact, event: str = "changed") -> None:
    if contact.agent_id is None:
        return
    data = {"contact_id": contact.id, "state": contact.state, "event": event}
    await live.publish(channel(contact.agent_id), "contact", data)


async def gone(contact: Contact, user_id: int) -> None:
    """The call was offered to this agent but went to another (or nobody answered there)."""
    await live.publish(channel(user_id), "contact_gone", {"contact_id": contact.id})
