"""A contact's personal data leaves after RETENTION_DAYS; the contact and its figures stay."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from server.contacts import retention
from server.models import CallEvent, Contact
from tests.contacts.support import NOW, TENANT, event, post
from tests.support import world

pytestmark = pytest.mark.usefixtures("clock")


async def test_old_contacts_lose_the_caller_and_the_note_only(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("old-1", "offered"))
    await post(http, event("old-1", "answered", 20))
    contact = await Contact.get(call_id="api:old-1")
    await Contact.filter(id=contact.id).update(caller_name="Fatima el Amrani", note="Belt terug")
    assert await retention.anonymise_old(730, at=NOW + timedelta(days=729)) == 0
    assert await retention.anonymise_old(730, at=NOW + timedelta(days=731)) == 1
    await contact.refresh_from_db()
    assert (contact.caller, contact.caller_name, contact.note) == ("", "", "")
    assert (contact.client_id, contact.wait_seconds, contact.offered_at) == (
        w.woonstad.id,
        20,
        NOW,
    )
    assert all(e.data == {} for e in await CallEvent.filter(contact_id=contact.id))
    assert TENANT not in str([e.data for e in await CallEvent.all()])
    assert await retention.anonymise_old(0, at=NOW + timedelta(days=2000)) == 0
