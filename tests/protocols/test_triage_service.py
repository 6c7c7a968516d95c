"""Triage on stored data: the client's protocol version decides, the dossier keeps it all."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.domain.errors import Conflict, Forbidden, Unprocessable
from server.dossiers import dossiers, intake
from server.models import ClientNotification, Dossier, DossierEvent, ProtocolVersion
from server.protocols import protocol_files, protocols, triage
from server.protocols.protocols import ProtocolRejected
from server.protocols.triage import TriageInput
from server.triage import default_protocol_text
from tests.support import world

TZ = ZoneInfo("Europe/Amsterdam")
# A Tuesday morning in winter (office open) and a Saturday afternoon in summer (closed).
TUESDAY = datetime(2026, 1, 13, 10, 0, tzinfo=TZ)
SATURDAY = datetime(2026, 7, 4, 14, 0, tzinfo=TZ)

# The gas leak outcome's labour time, as it stands in the default protocol.
GAS_MINUTES = (
    "labour_minutes: 60\n        inform_client: true\n        notices:\n          - Geen vuur"
)
LEAK_LIMITED = {"bewoonbaarheid": "nee", "gevolgschade": "beperkt", "afdekken": "nee"}


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _dossier(w: world.World, category: str = "lekkage_woning") -> Dossier:
    return await dossiers.create(
        w.agent, world.intake(category=category, description="Water langs de lamp."), at=TUESDAY
    )


def _edited(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


async def test_a_client_without_protocol_gets_the_default_as_version_1(w: world.World) -> None:
    version = await protocols.current(w.woonstad)
    assert (version.version, version.reason, version.created_by_name) == (
        1,
        "Standaardprotocol",
        "systeem",
    )
    assert 'client: "WST"\nversion: 1\n' in version.text
    assert version.checksum == protocol_files.checksum(version.text)
    assert (await protocols.current(w.woonstad)).id == version.id
    assert not await ProtocolVersion.filter(client_id=w.woonstad.id, version__gt=1).exists()


async def test_evaluation_asks_the_next_question_then_decides_by_the_moment(
    w: world.World,
) -> None:
    first = await triage.evaluate_for(w.agent, "wst", TriageInput("lekkage_woning", {}, TUESDAY))
    assert first.evaluation.next_question is not None
    assert first.evaluation.next_question.id == "bewoonbaarheid"
    assert first.read_back is None
    weekday = await triage.evaluate_for(
        w.agent, "WST", TriageInput("lekkage_woning", LEAK_LIMITED, TUESDAY)
    )
    weekend = await triage.evaluate_for(
        w.agent, "WST", TriageInput("lekkage_woning", LEAK_LIMITED, SATURDAY)
    )
    assert weekday.evaluation.outcome and weekday.evaluation.outcome.urgency == "niet_urgent"
    assert weekend.evaluation.outcome and weekend.evaluation.outcome.urgency == "urgent"
    assert weekend.to_dict()["protocol"] == {
        "client": "WST",
        "version": 1,
        "id": weekend.version.id,
    }
    assert weekend.read_back and "binnen 24 uur" in weekend.read_back


async def test_office_hours_and_heating_season_come_from_the_client(w: world.World) -> None:
    w.woonstad.office_hours = {day: [["08:00", "17:00"]] for day in ("sat", "sun")}
    w.woonstad.settings = {"heating_season": {"start": "06-01", "end": "08-31"}}
    await w.woonstad.save()
    weekend = await triage.evaluate_for(
        w.agent, "WST", TriageInput("lekkage_woning", LEAK_LIMITED, SATURDAY)
    )
    assert weekend.evaluation.outcome and weekend.evaluation.outcome.urgency == "niet_urgent"
    heating = {"bewoonbaarheid": "nee", "waterdruk": "in_orde", "wat": "geen_verwarming"}
    summer = await triage.evaluate_for(w.agent, "WST", TriageInput("cv_storing", heating, SATURDAY))
    assert summer.evaluation.outcome and summer.evaluation.outcome.id == "cv_verwarming_winter"


async def test_an_acuut_report_must_be_on_site_within_the_clients_norm(w: world.World) -> None:
    w.woonstad.settings = {"acuut_norm_minutes": 45}
    await w.woonstad.save()
    gas = await _dossier(w, "gaslek")
    other = await _dossier(w, "gaslek")
    await triage.apply(w.agent, gas, TriageInput("gaslek", {"waar": "woning"}, TUESDAY), at=TUESDAY)
    w.woonstad.settings = {}
    await w.woonstad.save()
    await triage.apply(
        w.agent, other, TriageInput("gaslek", {"waar": "woning"}, TUESDAY), at=TUESDAY
    )

    assert (await Dossier.get(id=gas.id)).deadline_at == datetime(2026, 1, 13, 10, 45, tzinfo=TZ)
    assert (await Dossier.get(id=other.id)).deadline_at == datetime(2026, 1, 13, 12, 0, tzinfo=TZ)


async def test_bad_subject_and_answer_name_the_field(w: world.World) -> None:
    with pytest.raises(Unprocessable) as bad_subject:
        await triage.evaluate_for(w.agent, "WST", TriageInput("aardbeving", {}, TUESDAY))
    assert bad_subject.value.field == "subject"
    assert bad_subject.value.message.startswith("Onbekend onderwerp 'aardbeving' (bekend: ")
    with pytest.raises(Unprocessable) as bad_answer:
        await triage.evaluate_for(
            w.agent, "WST", TriageInput("gaslek", {"waar": "zolder"}, TUESDAY)
        )
    assert bad_answer.value.field == "answers.waar"
    assert "'zolder' past niet bij vraag 'waar'" in bad_answer.value.message


async def test_applying_triage_stores_outcome_path_and_version(w: world.World) -> None:
    dossier = await _dossier(w)
    await triage.apply(w.agent, dossier, TriageInput("lekkage_woning", LEAK_LIMITED, SATURDAY))
    stored = await Dossier.get(id=dossier.id)
    assert (stored.urgency, stored.order_type, stored.trade, stored.labour_minutes) == (
        "urgent",
        "reparatieonderhoud",
        "DAK",
        90,
    )
    assert stored.deadline_at == datetime(2026, 7, 5, 14, 0, tzinfo=TZ)
    assert stored.category == "lekkage_woning"
    t = stored.triage
    version = await protocols.current(w.woonstad)
    assert t["protocol"] == {"client": "WST", "version": 1, "id": version.id}
    assert t["answers"] == LEAK_LIMITED
    assert t["outcome"]["id"] == "lekkage_woning_urgent"
    assert [s["kind"] for s in t["path"]] == ["answer", "answer", "answer", "condition"]
    assert t["evaluated_at"] == SATURDAY.isoformat()
    assert t["recorded_by"] == "Anna Agent"
    assert "Toelichting: Water langs de lamp." in t["description"]
    assert "uiterlijk zondag 5 juli 14:00" in t["read_back"]
    event = await DossierEvent.filter(dossier_id=dossier.id, kind="triage").get()
    assert event.data["outcome"] == "lekkage_woning_urgent"
    assert event.data["protocol_version"] == 1
    assert event.data["path"][0].endswith("→ Nee")
    assert await ClientNotification.filter(dossier_id=dossier.id).count() == 0


async def test_habitability_in_danger_records_the_on_call_notification(w: world.World) -> None:
    w.woonstad.oncall_name = "Piketdienst Woonstad"
    w.woonstad.oncall_phone = "+31301234567"
    await w.woonstad.save()
    dossier = await _dossier(w)
    answers = {"bewoonbaarheid": "ja"}
    await triage.apply(w.agent, dossier, TriageInput("lekkage_woning", answers, TUESDAY))
    assert dossier.urgency == "acuut"
    note = await ClientNotification.get(dossier_id=dossier.id)
    assert (note.kind, note.status, note.to_name, note.to_phone) == (
        "piket",
        "wachtrij",
        "Piketdienst Woonstad",
        "+31301234567",
    )
    assert note.data["habitability"] is True
    assert dossier.order_number in note.subject
    assert "De bewoonbaarheid van de woning is in gevaar." in note.body
    # Correcting an answer that leads to the same outcome does not alert a second time.
    await triage.apply(w.agent, dossier, TriageInput("lekkage_woning", answers, TUESDAY))
    assert await ClientNotification.filter(dossier_id=dossier.id).count() == 1


async def test_a_gas_leak_is_acuut_and_informs_the_client(w: world.World) -> None:
    dossier = await _dossier(w, "gaslek")
    for moment in (TUESDAY, SATURDAY):
        for where in ("woning", "meterkast", "buiten"):
            decision = await triage.decide(
                w.woonstad, TriageInput("gaslek", {"waar": where}, moment)
            )
            assert decision.evaluation.outcome
            assert decision.evaluation.outcome.urgency == "acuut"
    await triage.apply(w.agent, dossier, TriageInput("gaslek", {"waar": "woning"}, SATURDAY))
    assert dossier.urgency == "acuut"
    assert await ClientNotification.filter(dossier_id=dossier.id, kind="piket").count() == 1


async def test_re_triage_is_a_new_event_and_the_old_one_stays(w: world.World) -> None:
    dossier = await _dossier(w)
    await triage.apply(w.agent, dossier, TriageInput("lekkage_woning", LEAK_LIMITED, TUESDAY))
    await triage.apply(w.agent, dossier, TriageInput("lekkage_woning", LEAK_LIMITED, SATURDAY))
    events = await DossierEvent.filter(dossier_id=dossier.id, kind="triage").order_by("id")
    assert [e.data["urgency"] for e in events] == ["niet_urgent", "urgent"]
    assert events[1].data["previous"]["urgency"] == "niet_urgent"
    assert dossier.version == 3


async def test_unfinished_triage_and_other_roles_are_refused(w: world.World) -> None:
    dossier = await _dossier(w)
    with pytest.raises(Unprocessable) as unfinished:
        await triage.apply(
            w.agent, dossier, TriageInput("lekkage_woning", {"bewoonbaarheid": "nee"})
        )
    assert unfinished.value.field == "answers.gevolgschade"
    with pytest.raises(Forbidden):
        await triage.apply(w.client_user, dossier, TriageInput("gaslek", {"waar": "woning"}))
    assert (await Dossier.get(id=dossier.id)).triage == {}


async def test_stale_dossier_is_a_conflict(w: world.World) -> None:
    dossier = await _dossier(w)
    stale = await Dossier.get(id=dossier.id)
    await dossiers.add_note(w.agent, dossier, "eerst")
    await dossiers.record_contact(w.agent, dossier, "telefoon", "gebeld")
    with pytest.raises(Conflict):
        await triage.apply(w.agent, stale, TriageInput("gaslek", {"waar": "woning"}))


async def test_intake_with_triage_is_one_transaction(w: world.World) -> None:
    data = world.intake(contact_name="Jan", category="overig", description="")
    with pytest.raises(Unprocessable):
        await intake.create(w.agent, data, TriageInput("gaslek", {"waar": "kelder"}))
    assert await Dossier.all().count() == 0
    created = await intake.create(w.agent, data, TriageInput("gaslek", {"waar": "buiten"}))
    assert (created.category, created.urgency) == ("gaslek", "acuut")
    assert created.order_number.endswith("000001")
    events = DossierEvent.filter(dossier_id=created.id).exclude(kind="bericht")
    assert await events.values_list("kind", flat=True) == ["created", "triage"]


async def test_publish_makes_version_2_and_dossiers_keep_version_1(w: world.World) -> None:
    dossier = await _dossier(w)
    await triage.apply(w.agent, dossier, TriageInput("gaslek", {"waar": "woning"}))
    v1 = await protocols.current(w.woonstad)
    text = _edited(v1.text, GAS_MINUTES, GAS_MINUTES.replace("60", "75"))
    v2 = await protocols.publish(w.supervisor, "WST", text, "Gaslek duurt langer", based_on=1)
    assert (v2.version, v2.created_by_name, v2.reason) == (
        2,
        "Sanne Supervisie",
        "Gaslek duurt langer",
    )
    assert "version: 2\n" in v2.text
    assert (await Dossier.get(id=dossier.id)).triage["protocol"]["version"] == 1
    again = await triage.decide(w.woonstad, TriageInput("gaslek", {"waar": "woning"}))
    assert again.version.version == 2
    assert again.evaluation.outcome and again.evaluation.outcome.labour_minutes == 75
    mail = await ClientNotification.get(kind="protocol_bevestiging")
    assert (mail.status, mail.protocol_version_id) == ("wachtrij", v2.id)  # type: ignore[attr-defined]
    assert "Reden: Gaslek duurt langer" in mail.body
    assert "-        labour_minutes: 60" in mail.body
    assert "+        labour_minutes: 75" in mail.body
    change = await protocols.change_of(v2)
    assert change.startswith("--- versie 1\n+++ versie 2\n")


async def test_broken_yaml_is_refused_with_its_line(w: world.World) -> None:
    text = _edited(default_protocol_text(), "  gaslek:\n    label:", "  gaslek:\n   label: [")
    with pytest.raises(ProtocolRejected) as rejected:
        await protocols.publish(w.supervisor, "WST", text, "kapot")
    assert rejected.value.field == "text"
    assert "regel " in rejected.value.message
    assert rejected.value.findings[0].line is not None
    assert not await ProtocolVersion.filter(client_id=w.woonstad.id, version__gt=1).exists()


async def test_a_dead_end_and_an_incomplete_outcome_are_both_listed(w: world.World) -> None:
    text = _edited(
        default_protocol_text(), "            next: gaslek\n", "            next: nergens\n"
    )
    gas = "label: Gaslek (of vermoeden)\n"
    text = _edited(text, gas + "        urgency: acuut\n", gas)
    with pytest.raises(ProtocolRejected) as rejected:
        await protocols.publish(w.supervisor, "WST", text, "fout")
    codes = {f.code for f in rejected.value.findings}
    assert {"unknown_target", "missing_urgency"} <= codes
    missing = next(f for f in rejected.value.findings if f.code == "missing_urgency")
    assert missing.path == "subjects.gaslek.outcomes.gaslek"
    target = next(f for f in rejected.value.findings if f.code == "unknown_target")
    assert target.path == "subjects.gaslek.questions.waar.options[0].next"
    assert text.splitlines()[target.line - 1].strip() == "next: nergens"  # type: ignore[operator]
    assert f"regel {target.line}, {target.path}: onbekende vraag of uitkomst 'nergens'" in (
        rejected.value.message
    )


async def test_publishing_needs_the_role_a_reason_a_change_and_the_latest_base(
    w: world.World,
) -> None:
    text = default_protocol_text()
    with pytest.raises(Forbidden):
        await protocols.publish(w.agent, "WST", text, "mag niet")
    with pytest.raises(Unprocessable) as no_reason:
        await protocols.publish(w.supervisor, "WST", text, "  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(Unprocessable) as unchanged:
        await protocols.publish(w.supervisor, "WST", text, "niets")
    assert unchanged.value.message == "Er is niets gewijzigd ten opzichte van versie 1."
    changed = _edited(text, GAS_MINUTES, GAS_MINUTES.replace("60", "75"))
    await protocols.publish(w.admin, "WST", changed, "eerste", based_on=1)
    with pytest.raises(Conflict) as stale:
        await protocols.publish(w.supervisor, "WST", text, "tweede", based_on=1)
    assert "intussen is versie 2 gepubliceerd door Admin" in stale.value.message


async def test_a_json_import_is_stored_as_yaml(w: world.World) -> None:
    base = await protocols.current(w.lichtveld)
    data = json.loads(protocol_files.as_json(base.text, "LVD", 1))
    data["subjects"]["gaslek"]["outcomes"]["gaslek"]["labour_minutes"] = 45
    v2 = await protocols.publish(w.supervisor, "LVD", json.dumps(data), "Import uit bestand")
    assert v2.text.startswith("client: LVD\nversion: 2\n")
    protocol = protocols.protocol(w.lichtveld, v2)
    outcome = protocol.subject("gaslek").outcome("gaslek")  # type: ignore[union-attr]
    assert outcome and outcome.labour_minutes == 45
