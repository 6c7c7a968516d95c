"""Dutch messages from the built-in templates, a client's own versions, and the sandbox."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from html import unescape

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from server.messaging import gsm
from server.messaging.email import build_email
from server.messaging.kinds import CHANNELS, FILES, Channel, Kind, template_names
from server.messaging.messages import MeldingOntvangen, TenantMessage
from server.messaging.samples import SAMPLES
from server.messaging.templates import (
    TemplateProblem,
    builtin_source,
    render_email,
    render_push,
    render_sms,
    validate_template,
    variables,
)

TRACK = "https://meldkamer.example.nl/volg/voorbeeld"
CLIENT = "Woonstichting De Linde"
MELDING = SAMPLES[Kind.MELDING_ONTVANGEN]
assert isinstance(MELDING, MeldingOntvangen)


def test_melding_ontvangen_summarises_the_call() -> None:
    sms = render_sms(MELDING)
    email = render_email(MELDING)

    assert sms == (
        f"{CLIENT}: uw melding DL-2025-000123 is ontvangen: Lekkage aan de afvoer onder het "
        "aanrecht (urgent). Een loodgieter neemt binnen 24 uur contact met u op voor een "
        f"afspraak. Dit gebeurt uiterlijk dinsdag 4 maart om 16:30. Volg uw melding: {TRACK}"
    )
    assert gsm.parts(sms) == 2
    assert email.subject == "Uw melding is ontvangen (DL-2025-000123)"
    for part in (email.text, email.html):
        assert "Beste mevrouw Jansen," in part
        assert "Lekkage aan de afvoer onder het aanrecht" in part  # what was reported
        assert "urgent" in part
        assert "Een loodgieter neemt binnen 24 uur contact met u op" in part  # what happens next
        assert "Dit gebeurt uiterlijk dinsdag 4 maart om 16:30." in part  # and when
        assert TRACK in part
        assert CLIENT in part
    assert f'<a href="{TRACK}"' in email.html


def test_acuut_summary_reads_as_one_sentence() -> None:
    """Triage's description ends in a full stop; the text goes on after it with the urgency."""
    acuut = replace(MELDING, melding="Gaslucht in de woning.", urgentie="acuut")
    sms = render_sms(acuut)
    assert "ontvangen: Gaslucht in de woning (acuut). " in sms
    assert ". (" not in sms and ".." not in sms


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (Kind.AFSPRAAK_INGEPLAND, "op dinsdag 4 maart tussen 08:00 en 12:00"),
        (Kind.AFSPRAAK_GEWIJZIGD, "gewijzigd naar dinsdag 4 maart tussen 08:00 en 12:00"),
        (Kind.AFSPRAAK_GEANNULEERD, "gaat niet door. De storing is op afstand verholpen."),
        (Kind.MONTEUR_ONDERWEG, "monteur Ahmed is onderweg naar u"),
        (Kind.AFGEROND, "is afgerond. Hoe hebben we het gedaan?"),
    ],
)
def test_tenant_sms(kind: Kind, words: str) -> None:
    sms = render_sms(SAMPLES[kind])
    assert sms.startswith(f"{CLIENT}: ")
    assert words in sms
    assert "DL-2025-000123" in sms


# What each kind must say, on every channel it has: in the e-mail (its plain text and what the
# HTML shows alike), the SMS and the push notice.
SURVEY = "https://meldkamer.example.nl/enquete/voorbeeld"
ORDER = "DL-2025-000123"
WHEN = "dinsdag 4 maart tussen 08:00 en 12:00"
KEY_CONTENT: dict[Kind, dict[str, tuple[str, ...]]] = {
    Kind.MELDING_ONTVANGEN: {
        "email": (
            "Lekkage aan de afvoer onder het aanrecht",
            "urgent",
            "Een loodgieter neemt",
            "uiterlijk dinsdag 4 maart om 16:30",
            ORDER,
            TRACK,
        ),
        "sms": (
            "is ontvangen",
            "Lekkage aan de afvoer",
            "(urgent)",
            "Een loodgieter neemt",
            "uiterlijk dinsdag 4 maart om 16:30",
            ORDER,
            TRACK,
        ),
        "push": (f"Melding {ORDER} ontvangen", "Een loodgieter neemt binnen 24 uur"),
    },
    Kind.AFSPRAAK_INGEPLAND: {
        "email": (WHEN, "komt een monteur", "Komt het niet uit? Geef het door", ORDER, TRACK),
        "sms": (f"er is een afspraak voor uw melding {ORDER} op {WHEN}", "niet thuis", TRACK),
        "push": ("Afspraak ingepland", f"De monteur komt {WHEN} (melding {ORDER})."),
    },
    Kind.AFSPRAAK_GEWIJZIGD: {
        "email": (
            "is gewijzigd",
            "Was: maandag 3 maart om 13:00",
            f"Nieuw: {WHEN}",
            "Komt het niet uit? Geef het door",
            ORDER,
            TRACK,
        ),
        "sms": (f"gewijzigd naar {WHEN}", "Komt het niet uit? Geef het door via", ORDER, TRACK),
        "push": ("Afspraak gewijzigd", f"Nieuw: {WHEN} (melding {ORDER})"),
    },
    Kind.AFSPRAAK_GEANNULEERD: {
        "email": (f"op {WHEN} gaat niet door", "De storing is op afstand verholpen.", ORDER, TRACK),
        "sms": (
            "dinsdag 4 maart (08:00-12:00)",
            "gaat niet door",
            "op afstand verholpen",
            ORDER,
            TRACK,
        ),
        "push": ("Afspraak gaat niet door", "De storing is op afstand verholpen."),
    },
    Kind.MONTEUR_ONDERWEG: {
        "email": (
            "Monteur Ahmed is onderweg naar u",
            "Verwachte aankomst: rond 09:40",
            ORDER,
            TRACK,
        ),
        "sms": ("monteur Ahmed is onderweg naar u", "Verwachte aankomst rond 09:40", ORDER, TRACK),
        "push": ("De monteur is onderweg", "Ahmed komt rond 09:40 aan"),
    },
    Kind.AFGEROND: {
        "email": (f"Uw melding {ORDER} is afgerond", "Hoe hebben we het gedaan?", SURVEY),
        "sms": (f"uw melding {ORDER} is afgerond", "Hoe hebben we het gedaan?", SURVEY),
        "push": ("Uw melding is afgerond", "Geef uw mening"),
    },
    Kind.PIKET: {
        "email": (
            "Acute melding",
            "bewoonbaarheid van de woning is in gevaar",
            ORDER,
            "dinsdag 4 maart om 02:14",
            "Lindelaan 12, 1234 AB Utrecht",
            "J. Jansen +31612345678",
            "Wateroverlast uit plafond",
            "Water loopt door het plafond",
            "https://meldkamer.example.nl/dossiers/",
        ),
        "sms": (
            f"ACUUT {ORDER}",
            "bewoonbaarheid in gevaar",
            "Lindelaan 12",
            "J. Jansen +31612345678",
            "Wateroverlast uit plafond",
            "https://meldkamer.example.nl/dossiers/",
        ),
    },
    Kind.ESCALATIE: {
        "email": (
            f"Escalatie {ORDER}",
            "Leverancier monitoringsysteem",
            "Neem voor woensdag 5 maart om 09:00 contact op met de huurder",
            "Lindelaan 12",
            "mevrouw Jansen 06 12345678",
            "niet in behandeling",
            "https://meldkamer.example.nl/escalaties/1",
        ),
        "sms": (
            f"ESCALATIE {ORDER}",
            "klacht over Leverancier monitoringsysteem",
            "woensdag 5 maart om 09:00",
            "mevrouw Jansen 06 12345678",
            "https://meldkamer.example.nl/escalaties/1",
        ),
    },
    Kind.ENQUETE_GESPREK: {
        "email": (
            "Beste mevrouw Jansen",
            f"Bedankt voor uw telefoongesprek met {CLIENT} van dinsdag 4 maart",
            "hoe vriendelijk, deskundig en behulpzaam was de medewerker",
            "https://meldkamer.example.nl/enquete-gesprek/voorbeeld",
            "na de reparatie nog een korte enquête",
            f"Een antwoord op deze e-mail komt bij {CLIENT} terecht.",
        ),
        "sms": (
            f"{CLIENT}: bedankt voor uw telefoongesprek van dinsdag 4 maart.",
            "Hoe bent u geholpen?",
            "https://meldkamer.example.nl/enquete-gesprek/voorbeeld",
        ),
    },
    Kind.PROTOCOL_BEVESTIGING: {
        "email": (
            "Uw triageprotocol is gewijzigd",
            "versie 7",
            "geldt vanaf zaterdag 1 maart om 09:00",
            "M. de Vries (supervisie)",
            "Cv-storing in de winter voortaan urgent",
            "+ cv_storing.winter: urgent",
            "https://meldkamer.example.nl/protocollen/DL/versies/7",
        ),
    },
    Kind.TELEFONIE_RAPPORT: {
        "email": (
            "telefonierapport over",
            "november 2026",
            "4210",
            "83,1%",
            "norm 80%: gehaald",
            "telefonierapport-DL-2026-11.xlsx",
        ),
    },
    Kind.RAPPORTAGE: {
        "email": (
            "weekrapportage over",
            "week 23 2026",
            "312",
            "287",
            "3 herhaalmeldingen",
            "weekrapportage-DL-2026-W23.pdf",
            "weekrapportage-DL-2026-W23.xlsx",
        ),
    },
    Kind.VERIFICATIECODE: {
        "sms": ("482913 is uw code", "Woonstichting De Linde", "10 minuten geldig"),
        "email": ("482913", "Woonstichting De Linde", "10 minuten geldig"),
    },
}


def shown(html: str) -> str:
    """What a mail program shows of the HTML part, and where its links lead: one line."""
    linked = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>', r" \1 ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", linked)).split())


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_says_what_it_must_on_every_channel(kind: Kind) -> None:
    message, key = SAMPLES[kind], KEY_CONTENT[kind]
    assert set(key) == set(CHANNELS[kind])
    if "email" in key:
        content = render_email(message)
        mail = build_email(
            to="bewoner@example.org",
            subject=content.subject,
            text=content.text,
            html=content.html,
            from_address="berichten@meldkamer.example.nl",
            from_name=CLIENT,
            reference="DL-2025-000123.e1",
        )
        # Plain text first, then the HTML: every mail program shows one of them.
        assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
        assert mail["From"].addresses[0].display_name == CLIENT
        text = " ".join(content.text.split())
        for words in key["email"]:
            assert words in text, (kind, "text", words)
            assert words in shown(content.html), (kind, "html", words)
        assert "{{" not in text and "{%" not in content.html
    if "sms" in key:
        sms = render_sms(message)
        for words in key["sms"]:
            assert words in sms, (kind, words)
    if "push" in key:
        assert isinstance(message, TenantMessage)
        push = render_push(message)
        for words in key["push"]:
            assert words in f"{push.title} {push.body}", (kind, words)


def test_tenant_emails_say_who_sends_them_and_where_an_answer_goes() -> None:
    for kind in (k for k in Kind if isinstance(SAMPLES[k], TenantMessage)):
        content = render_email(SAMPLES[kind])
        footer = f"Een antwoord op deze e-mail komt bij {CLIENT} terecht."
        assert footer in content.text, kind
        assert f"De meldkamer verstuurt deze e-mail namens {CLIENT}. {footer}" in shown(
            content.html
        ), kind


def test_eta_and_survey_links() -> None:
    assert "rond 09:40" in render_sms(SAMPLES[Kind.MONTEUR_ONDERWEG])
    survey = "https://meldkamer.example.nl/enquete/voorbeeld"
    assert survey in render_sms(SAMPLES[Kind.AFGEROND])
    assert f'href="{survey}"' in render_email(SAMPLES[Kind.AFGEROND]).html


def test_times_are_shown_in_amsterdam() -> None:
    # 07:40 UTC in winter is 08:40 in Amsterdam.
    message = SAMPLES[Kind.MONTEUR_ONDERWEG]
    moved = replace(message, eta=datetime(2025, 1, 7, 7, 40, tzinfo=UTC))
    assert "rond 08:40" in render_sms(moved)


def test_every_template_renders_for_every_channel() -> None:
    for kind, message in SAMPLES.items():
        channels = CHANNELS[kind]
        if Channel.SMS in channels:
            sms = render_sms(message)
            # Built-in texts stay in the GSM alphabet and within three parts.
            assert gsm.is_gsm(sms), (kind, sms)
            assert gsm.parts(sms) <= 3
        if Channel.EMAIL in channels:
            email = render_email(message)
            assert email.subject and "\n" not in email.subject
            assert CLIENT in email.text and CLIENT in email.html
            assert email.html.startswith("<!doctype html>")
            assert '<html lang="nl">' in email.html
        if Channel.PUSH in channels:
            assert isinstance(message, TenantMessage)
            push = render_push(message)
            assert push.title and push.body
            assert push.payload()["url"] == TRACK
            assert push.payload()["tag"] == "DL-2025-000123"


def test_client_messages() -> None:
    piket = render_sms(SAMPLES[Kind.PIKET])
    assert piket.startswith(
        "ACUUT DL-2025-000123 (Woonstichting De Linde): bewoonbaarheid in gevaar."
    )
    assert "Lindelaan 12, 1234 AB Utrecht" in piket
    email = render_email(SAMPLES[Kind.PIKET])
    assert (
        email.subject
        == "ACUUT DL-2025-000123: Wateroverlast uit plafond, Lindelaan 12, 1234 AB Utrecht"
    )
    assert "Gemeld: dinsdag 4 maart om 02:14" in email.text
    protocol = render_email(SAMPLES[Kind.PROTOCOL_BEVESTIGING])
    assert protocol.subject == "Triageprotocol gewijzigd: versie 7"
    assert "+ cv_storing.winter: urgent" in protocol.text
    assert "geldt vanaf zaterdag 1 maart om 09:00" in protocol.html


def test_channels_a_kind_does_not_have() -> None:
    with pytest.raises(ValueError, match="protocol_bevestiging has no sms"):
        render_sms(SAMPLES[Kind.PROTOCOL_BEVESTIGING])


def test_tenant_input_is_escaped_in_html_only() -> None:
    message = replace(MELDING, melding="Deur <b>klemt</b> & <script>alert(1)</script>")
    email = render_email(message)
    assert "Deur &lt;b&gt;klemt&lt;/b&gt; &amp; &lt;script&gt;" in email.html
    assert "<script>" not in email.html
    assert "Deur <b>klemt</b> & <script>alert(1)</script>" in email.text


def test_client_override_by_name() -> None:
    overrides = {
        "melding_ontvangen/sms.txt": (
            "{{ opdrachtgever|upper }} meldnr {{ ordernummer }}: {{ volgen_url }}"
        ),
        "melding_ontvangen/email.html": (
            '{% extends "_layout.html" %}{% block inhoud %}<p>Hallo {{ naam }}</p>{% endblock %}'
        ),
    }
    assert (
        render_sms(MELDING, overrides) == f"WOONSTICHTING DE LINDE meldnr DL-2025-000123: {TRACK}"
    )
    email = render_email(MELDING, overrides)
    assert "<p>Hallo mevrouw Jansen</p>" in email.html
    assert "Woonstichting De Linde</td>" in email.html  # the built-in layout around it
    assert "Wat gebeurt er nu?" in email.text  # not overridden: built-in
    # Other messages and other clients are untouched.
    assert render_sms(MELDING).startswith(CLIENT)


def test_unknown_override_name() -> None:
    with pytest.raises(ValueError, match="unknown template names: melding/sms.txt"):
        render_sms(MELDING, {"melding/sms.txt": "x"})


def test_builtin_templates_pass_their_own_check() -> None:
    for kind in Kind:
        assert variables(kind) == sorted(SAMPLES[kind].context())
        for name in template_names(kind):
            validate_template(builtin_source(name), name)
    validate_template(builtin_source("_layout.html"), "_layout.html")
    assert {name.split("/")[1] for name in template_names(Kind.AFGEROND)} == {
        file for files in FILES.values() for file in files
    }


def test_validate_unknown_variable_names_it() -> None:
    with pytest.raises(
        TemplateProblem,
        match=r"Onbekende variabele in sjabloon: order_nummer\. Beschikbaar: melding, naam",
    ):
        validate_template("Melding {{ order_nummer }}", "melding_ontvangen/sms.txt")
    # A variable of another kind is unknown here.
    with pytest.raises(TemplateProblem, match="eta"):
        validate_template("Rond {{ eta|tijd }}", "afgerond/sms.txt")
    validate_template("Rond {{ eta|tijd }}", "monteur_onderweg/sms.txt")
    validate_template("Rond {{ eta|tijd }}")  # without a name: any kind's variables


def test_validate_syntax_error_names_the_line() -> None:
    with pytest.raises(TemplateProblem, match="Fout in sjabloon op regel 2"):
        validate_template("Beste {{ naam }},\n{% if naam %}geen einde", "afgerond/email.txt")


def test_validate_unknown_template_and_unknown_filter() -> None:
    with pytest.raises(TemplateProblem, match="Onbekend sjabloon: afgerond/brief.txt"):
        validate_template("x", "afgerond/brief.txt")
    # Only filters that cannot blow up or reach internals are there.
    for text in ("{{ naam|center(999999999) }}", "{{ naam|attr('__class__') }}", "{{ naam|safe }}"):
        with pytest.raises(TemplateProblem, match="Fout in sjabloon op regel 1: No filter named"):
            validate_template(text, "afgerond/sms.txt")


@pytest.mark.parametrize(
    "text",
    [
        "{{ ordernummer.__class__ }}",
        "{{ ordernummer.__class__.__mro__[1].__subclasses__() }}",
        "{{ opdrachtgever.format.__globals__ }}",
        "{{ volgen_url.__init__.__globals__['os'] }}",
    ],
)
def test_sandbox_refuses_python_internals(text: str) -> None:
    with pytest.raises(TemplateProblem, match="Niet toegestaan"):
        validate_template(text, "afgerond/sms.txt")
    with pytest.raises(SecurityError):
        render_sms(SAMPLES[Kind.AFGEROND], {"afgerond/sms.txt": text})


@pytest.mark.parametrize(
    "text",
    [
        "{{ 'x' * 1000000000 }}",
        "{{ 9 ** 9 ** 9 }}",
        "{% set regels = ['a'] %}{{ regels.append('x') }}",
    ],
)
def test_sandbox_refuses_huge_output_and_changes(text: str) -> None:
    with pytest.raises(TemplateProblem, match="Niet toegestaan"):
        validate_template(text, "protocol_bevestiging/email.txt")


def test_no_range_or_lipsum() -> None:
    with pytest.raises(TemplateProblem, match="Onbekende variabele in sjabloon: range"):
        validate_template("{% for i in range(9) %}{% endfor %}", "afgerond/sms.txt")


def test_missing_variable_at_render_is_an_error() -> None:
    # validate_template stops this at save time; should one slip through, it fails loudly.
    with pytest.raises(UndefinedError):
        render_sms(MELDING, {"melding_ontvangen/sms.txt": "{{ geen_variabele }}"})


def test_too_long_template() -> None:
    with pytest.raises(TemplateProblem, match="te lang"):
        validate_template("x" * 20_001, "afgerond/email.txt")


@pytest.mark.parametrize("text", ["{{ naam|datum }}", "{{ 1 / 0 }}", "{{ naam|round }}"])
def test_wrong_kind_of_value(text: str) -> None:
    with pytest.raises(TemplateProblem, match="Sjabloon werkt niet"):
        validate_template(text, "afgerond/sms.txt")
