"""Telling an agent's desk tabs about his contacts (channel `agent:{user id}`), after the
commit: a call offered to him, answered, ended, registered; or gone to a colleague."""

from __future__ import annotations

from server import live
from server.models import Contact


def channel(user_id: int) -> str:
    return f"agent:{user_id}"


async def changed(contact: Contact, event: str = "changed", gone_from: int | None = None) -> None:
    """Tell the agent's desk; and `gone_from`, the agent it was offered to before, that it
    went elsewhere: both in one round trip to Redis."""
    messages: list[tuple[str, str, dict[str, object]]] = []
    if gone_from is not None and gone_from != contact.agent_id:
        messages.append((channel(gone_from), "contact_gone", {"contact_id": contact.id}))
    if contact.agent_id is not None:
        data = {"contact_id": contact.id, "state": contact.state, "event": event}
        messages.append((channel(contact.agent_id), "contact", data))
    await live.publish_many(messages)
