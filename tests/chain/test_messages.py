"""Every kind of VERA message, for outcomes with each of the codes the protocol can carry, is
valid against VERA's own OpenAPI and says what the triage decided."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.chain import vera_messages as vm
from server.triage.default import default_protocol
from server.triage.writing import vera_codes
from tests.chain import vera_spec

MOMENT = datetime(2026, 11, 17, 13, 30, tzinfo=UTC)  # 14:30 in Amsterdam: MID


def snapshot(outcome: dict[str, Any], **overrides: Any) -> vm.Snapshot:
    values: dict[str, Any] = {
        "order_number": "MK-2026-000042",
        "description": "Ruit van de achterdeur gebroken.",
        "created_at": MOMENT,
        "urgency": "urgent",
        "trade": "GLA",
        "labour_minutes": 45,
        "deadline_at": MOMENT + timedelta(hours=24),
        "outcome": outcome,
        "street": "Biltstraat",
        "house_number": 10,
        "suffix": "A",
        "postcode": "3572AB",
        "city": "Utrecht",
        "bag_id": "0344200000123456",
        "contact_name": "Fatima el Amrani",
        "contact_phone": "+31612345678",
        "contact_email": "",
        "appointment_start": MOMENT,
        "appointment_end": MOMENT + timedelta(hours=2),
        "photos": (vm.Photo(7, "Gebroken ruit", "http://localhost:8000/api/vera/v4/fotos/7"),),
    }
    values.update(overrides)
    return vm.Snapshot(**values)


def extra(body: dict[str, Any]) -> dict[str, str]:
    return {a["naam"]: a["waarde"] for a in body["extra-attributen"]}


def outcomes() -> list[tuple[str, dict[str, Any]]]:
    """Every outcome of the default protocol that orders work, with its codes."""
    found = []
    for subject in default_protocol().subjects:
        for outcome in subject.outcomes:
            if outcome.trade:
                found.append((outcome.id, {"label": outcome.label, **vera_codes(outcome)}))
    return found


@pytest.mark.parametrize(("outcome_id", "outcome"), outcomes())
def test_every_default_outcome_makes_valid_messages(
    outcome_id: str, outcome: dict[str, Any]
) -> None:
    s = snapshot(outcome)
    assert outcome["defect_kind"] and outcome["defect_location"], outcome_id
    assert vera_spec.errors("POST", "/onderhoudsorders", vm.onderhoudsorder(s, MOMENT)) == []
    assert vera_spec.errors("POST", "/onderhoudsverzoeken", vm.onderhoudsverzoek(s)) == []
    assert vera_spec.errors("POST", "/afspraken", vm.afspraak(s)) == []
    assert vera_spec.errors("PATCH", "/onderhoudsorders", vm.status_update(s, "GEA")) == []


def test_glass_and_charges_to_the_tenant_travel_with_the_order() -> None:
    glass = dict(outcomes())["glas_acuut"]
    order = vm.onderhoudsorder(snapshot(glass), MOMENT)
    assert extra(order)["prijscomponentDetailSoort"] == "GLF"
    assert order["defecten"][0]["soort"] == {"code": "GLA", "naam": "Glasbreuk"}
    locked_out = dict(outcomes())["buitensluiting_verwijtbaar"]
    order = vm.onderhoudsorder(snapshot(locked_out, trade="TIM"), MOMENT)
    assert extra(order)["verrekeningSoort"] == "VER"
    assert order["defecten"][0]["oorzaak"] == {"code": "BEW", "naam": "Bewonersopdracht/gedrag"}
    assert "prijscomponentDetailSoort" not in extra(order)


def test_the_appointment_has_its_day_part_and_the_photos_are_links() -> None:
    s = snapshot(dict(outcomes())["glas_acuut"])
    assert extra(vm.afspraak(s))["dagdeel"] == "MID"
    morning = snapshot({}, appointment_start=MOMENT.replace(hour=7))  # 08:00 in Amsterdam
    assert extra(vm.afspraak(morning))["dagdeel"] == "OCH"
    evening = snapshot({}, appointment_start=MOMENT.replace(hour=18))
    assert extra(vm.afspraak(evening))["dagdeel"] == "AVO"
    (photo,) = vm.onderhoudsorder(s, MOMENT)["informatieobjecten"]
    assert photo["bestandslocatie"] == "http://localhost:8000/api/vera/v4/fotos/7"


def test_without_a_bag_id_or_codes_the_message_is_still_valid() -> None:
    s = snapshot({}, bag_id=None, trade=None, labour_minutes=None, deadline_at=None, photos=())
    order = vm.onderhoudsorder(s, MOMENT)
    assert vera_spec.errors("POST", "/onderhoudsorders", order) == []
    assert "idGegevensbeheerder" not in order["defecten"][0]["eenheid"]
    assert "uitersteGereeddatum" not in order
