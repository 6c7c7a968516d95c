"""Every route of the application, in one list per area (no decorators)."""

from __future__ import annotations

from starlette.routing import Mount, Route

from server.web import field_routes, health, metrics, static
from server.web.api import absences as api_absences
from server.web.api import contacts as api_contacts
from server.web.api import dispatch as api_dispatch
from server.web.api import endpoints as api
from server.web.api import figures, integrations, telephony, vera, webhooks
from server.web.api import knowledge as api_knowledge
from server.web.api import protocols as api_protocols
from server.web.api import triage as api_triage
from server.web.api.openapi import openapi
from server.web.pages import (
    account,
    admin,
    admin_clients,
    admin_technicians,
    appointments,
    auth,
    call_survey,
    client_reports,
    contact_settings,
    contractor_portal,
    dossiers,
    melden,
    message_templates,
    planning,
    protocols,
    survey,
    tracking,
    triage,
)
from server.web.pages import archive as archive_pages
from server.web.pages import board as board_pages
from server.web.pages import contacts as contact_pages
from server.web.pages import dashboard as dashboard_pages
from server.web.pages import escalations as escalation_pages
from server.web.pages import (
    integrations as integration_pages,
)
from server.web.pages import knowledge as knowledge_pages
from server.web.pages import mail as mail_pages
from server.web.pages import portal as portal_pages
from server.web.pages import privacy as privacy_pages
from server.web.static import HashedStaticFiles

api_routes = [
    # First: the telephony platform posts up to a thousand events a second, and every route
    # before a match costs a regular expression (docs/contacts.md, "Benchmarks").
    Route("/telephony/events", telephony.call_event, methods=["POST"]),
    Route("/telephony/twilio", telephony.twilio_status, methods=["POST"]),
    Route("/auth/token", api.token, methods=["POST"]),
    Route("/clients", api.clients, methods=["GET"]),
    Route("/addresses", api.addresses, methods=["GET"]),
    Route("/dossiers", api.dossier_list, methods=["GET"]),
    Route("/dossiers", api.dossier_create, methods=["POST"]),
    Route("/dossiers/{order_number}", api.dossier_detail, methods=["GET"]),
    Route("/dossiers/{order_number}", api.dossier_update, methods=["PATCH"]),
    Route("/dossiers/{order_number}/transitions", api.dossier_transition, methods=["POST"]),
    Route("/dossiers/{order_number}/notes", api.dossier_note, methods=["POST"]),
    Route("/triage/evaluate", api_triage.evaluate, methods=["POST"]),
    Route("/dossiers/{order_number}/triage", api_triage.dossier_triage, methods=["POST"]),
    Route("/protocols/{client}", api_protocols.current, methods=["GET"]),
    Route("/protocols/{client}", api_protocols.publish, methods=["POST"]),
    Route("/protocols/{client}/check", api_protocols.check, methods=["POST"]),
    Route("/protocols/{client}/export", api_protocols.export, methods=["GET"]),
    Route("/protocols/{client}/versions", api_protocols.versions, methods=["GET"]),
    Route("/protocols/{client}/versions/{version}", api_protocols.version, methods=["GET"]),
    Route("/webhooks/sms/{secret}", webhooks.sms_report, methods=["GET", "POST"]),
    Route(
        "/dossiers/{order_number}/suggestions", api_dispatch.dossier_suggestions, methods=["GET"]
    ),
    Route("/dossiers/{order_number}/slots", api_dispatch.dossier_slots, methods=["GET"]),
    Route("/dossiers/{order_number}/assign", api_dispatch.dossier_assign, methods=["POST"]),
    Route(
        "/dossiers/{order_number}/appointment", api_dispatch.dossier_appointment, methods=["POST"]
    ),
    Route(
        "/dossiers/{order_number}/appointment/cancel",
        api_dispatch.dossier_appointment_cancel,
        methods=["POST"],
    ),
    Route("/board", api_dispatch.board_data, methods=["GET"]),
    Route("/technician/jobs", api_dispatch.technician_jobs, methods=["GET"]),
    Route("/technician/position", api_dispatch.technician_position, methods=["POST"]),
    Route("/technicians/{technician_id}/duty", api_dispatch.technician_duty, methods=["PUT"]),
    Route("/absences", api_absences.absence_list, methods=["GET"]),
    Route("/technicians/{technician_id}/absences", api_absences.absence_create, methods=["POST"]),
    Route("/absences/{absence_id}", api_absences.absence_delete, methods=["DELETE"]),
    Route("/contacts", api_contacts.contact_list, methods=["GET"]),
    Route("/contacts", api_contacts.contact_register, methods=["POST"]),
    Route("/contacts/{contact_id}", api_contacts.contact_detail, methods=["GET"]),
    Route("/contacts/{contact_id}", api_contacts.contact_update, methods=["PATCH"]),
    Route("/contacts/{contact_id}/transfer", api_contacts.contact_transfer, methods=["POST"]),
    Route("/contacts/{contact_id}/reply", api_contacts.contact_reply, methods=["POST"]),
    Route("/callers", api_contacts.caller, methods=["GET"]),
    Route("/clients/{client}/contact-setup", api_contacts.setup_get, methods=["GET"]),
    Route("/clients/{client}/contact-setup", api_contacts.setup_put, methods=["PUT"]),
    Route("/knowledge", api_knowledge.article_list, methods=["GET"]),
    Route("/knowledge", api_knowledge.article_create, methods=["POST"]),
    Route("/knowledge/{article_id}", api_knowledge.article_detail, methods=["GET"]),
    Route("/knowledge/{article_id}", api_knowledge.article_update, methods=["PUT"]),
    Route("/knowledge/{article_id}/versions", api_knowledge.article_versions, methods=["GET"]),
    Route(
        "/knowledge/{article_id}/versions/{article_version}",
        api_knowledge.article_version,
        methods=["GET"],
    ),
    Route("/protocols/{client}/subjects", api_knowledge.subject_search, methods=["GET"]),
    Route("/figures/telephony", figures.telephony_figures, methods=["GET"]),
    Route("/integrations", integrations.integration_list, methods=["GET"]),
    Route("/integrations", integrations.integration_create, methods=["POST"]),
    Route("/integrations/{integration_id}", integrations.integration_detail, methods=["GET"]),
    Route("/integrations/{integration_id}", integrations.integration_update, methods=["PUT"]),
    Route("/integrations/{integration_id}/key", integrations.integration_key, methods=["POST"]),
    Route("/openapi.json", openapi, methods=["GET"], include_in_schema=False),
]

page_routes = [
    Route("/", auth.home, methods=["GET"]),
    Route("/login", auth.login_form, methods=["GET"]),
    Route("/login", auth.login, methods=["POST"]),
    Route("/logout", auth.logout, methods=["POST"]),
    # The second step of a login, and passwords by e-mailed link (docs/admin.md).
    Route("/login/code", account.code_form, methods=["GET"]),
    Route("/login/code", account.code, methods=["POST"]),
    Route("/login/tweestaps", account.enrol_form, methods=["GET"]),
    Route("/login/tweestaps", account.enrol, methods=["POST"]),
    Route("/wachtwoord-vergeten", account.forgot_form, methods=["GET"]),
    Route("/wachtwoord-vergeten", account.forgot, methods=["POST"]),
    Route("/account/wachtwoord/{token}", account.password_form, methods=["GET"]),
    Route("/account/wachtwoord/{token}", account.password_save, methods=["POST"]),
    Route("/account/tweestaps", account.account_enrol_form, methods=["GET"]),
    Route("/account/tweestaps", account.account_enrol, methods=["POST"]),
    Route("/merk/{client}/logo.png", admin_clients.logo, methods=["GET"]),
    Route("/merk/{client}/huisstijl.css", admin_clients.house_style, methods=["GET"]),
    # Administration: users and settings for the admin; the rest for supervisie too.
    Route("/beheer", admin.index, methods=["GET"]),
    Route("/beheer/gebruikers", admin.user_list, methods=["GET"]),
    Route("/beheer/gebruikers/nieuw", admin.invite_form, methods=["GET"]),
    Route("/beheer/gebruikers/nieuw", admin.invite, methods=["POST"]),
    Route("/beheer/gebruikers/{user_id}", admin.user_detail, methods=["GET"]),
    Route("/beheer/gebruikers/{user_id}", admin.user_save, methods=["POST"]),
    Route("/beheer/gebruikers/{user_id}/actief", admin.user_active, methods=["POST"]),
    Route("/beheer/gebruikers/{user_id}/uitnodiging", admin.user_reinvite, methods=["POST"]),
    Route(
        "/beheer/gebruikers/{user_id}/tweestaps-verwijderen",
        admin.user_two_factor_reset,
        methods=["POST"],
    ),
    Route("/beheer/instellingen", admin.settings_form, methods=["GET"]),
    Route("/beheer/instellingen", admin.settings_save, methods=["POST"]),
    Route("/beheer/opdrachtgevers", admin_clients.client_list, methods=["GET"]),
    Route("/beheer/opdrachtgevers/nieuw", admin_clients.new_form, methods=["GET"]),
    Route("/beheer/opdrachtgevers/nieuw", admin_clients.create, methods=["POST"]),
    Route("/beheer/opdrachtgevers/{client}", admin_clients.client_detail, methods=["GET"]),
    Route("/beheer/opdrachtgevers/{client}", admin_clients.client_save, methods=["POST"]),
    Route("/beheer/opdrachtgevers/{client}/logo", admin_clients.logo_save, methods=["POST"]),
    Route(
        "/beheer/opdrachtgevers/{client}/rapportages",
        client_reports.save_settings,
        methods=["POST"],
    ),
    Route(
        "/beheer/opdrachtgevers/{client}/rapportages/maken",
        client_reports.build_now,
        methods=["POST"],
    ),
    Route(
        "/beheer/opdrachtgevers/{client}/rapportages/{report_id}/opnieuw",
        client_reports.send_again,
        methods=["POST"],
    ),
    Route(
        "/beheer/opdrachtgevers/{client}/woningbestand",
        admin_clients.import_start,
        methods=["POST"],
    ),
    Route(
        "/beheer/opdrachtgevers/{client}/woningbestand/{import_id}",
        admin_clients.import_detail,
        methods=["GET"],
    ),
    Route(
        "/beheer/opdrachtgevers/{client}/woningbestand/{import_id}/importeren",
        admin_clients.import_confirm,
        methods=["POST"],
    ),
    Route("/beheer/monteurs", admin_technicians.technician_list, methods=["GET"]),
    Route("/beheer/monteurs/nieuw", admin_technicians.new_form, methods=["GET"]),
    Route("/beheer/monteurs/nieuw", admin_technicians.create, methods=["POST"]),
    Route("/beheer/monteurs/{technician_id}", admin_technicians.detail, methods=["GET"]),
    Route("/beheer/monteurs/{technician_id}", admin_technicians.save, methods=["POST"]),
    Route("/dossiers", dossiers.dossier_list, methods=["GET"]),
    Route("/dossiers/nieuw", dossiers.intake_form, methods=["GET"]),
    Route("/dossiers/nieuw", dossiers.intake, methods=["POST"]),
    Route("/dossiers/{order_number}", dossiers.detail, methods=["GET"]),
    Route("/dossiers/{order_number}/fase", dossiers.move, methods=["POST"]),
    Route("/dossiers/{order_number}/notitie", dossiers.note, methods=["POST"]),
    Route("/dossiers/{order_number}/contact", dossiers.contact, methods=["POST"]),
    Route("/meldkamer", board_pages.board, methods=["GET"]),
    Route("/meldkamer/live", board_pages.board_live, methods=["GET"]),
    Route("/dossiers/{order_number}/toewijzen", board_pages.assign, methods=["POST"]),
    Route("/dossiers/{order_number}/afspraak", appointments.move, methods=["POST"]),
    Route("/dossiers/{order_number}/afspraak/annuleren", appointments.cancel, methods=["POST"]),
    Route("/planning", planning.page, methods=["GET"]),
    Route("/planning/afwezigheid", planning.absence_add, methods=["POST"]),
    Route(
        "/planning/afwezigheid/{absence_id}/verwijderen",
        planning.absence_remove,
        methods=["POST"],
    ),
    Route("/planning/toewijzen/{client}", planning.auto_assign, methods=["POST"]),
    Route("/planning/verzetten/{client}", planning.tenant_move, methods=["POST"]),
    Route("/dossiers/{order_number}/triage", triage.step, methods=["GET"]),
    Route("/dossiers/{order_number}/triage", triage.record, methods=["POST"]),
    Route("/protocollen", protocols.protocol_list, methods=["GET"]),
    Route("/protocollen/{client}", protocols.detail, methods=["GET"]),
    Route("/protocollen/{client}/bewerken", protocols.edit, methods=["GET"]),
    Route("/protocollen/{client}/bewerken", protocols.save, methods=["POST"]),
    Route("/protocollen/{client}/versies/{version}", protocols.version, methods=["GET"]),
    Route("/dossiers/{order_number}/gegevens", dossiers.edit, methods=["POST"]),
    Route("/archief", archive_pages.archive_list, methods=["GET"]),
    Route("/archief/export", archive_pages.export_xlsx, methods=["POST"]),
    Route("/archief/exports/{token}", archive_pages.export_download, methods=["GET"]),
    Route("/dashboard", dashboard_pages.page, methods=["GET"]),
    Route("/dashboard/live", dashboard_pages.changes, methods=["GET"]),
    Route("/dashboard/grafiek/{key}.xlsx", dashboard_pages.chart_xlsx, methods=["GET"]),
    Route("/dashboard/telefonie.xlsx", dashboard_pages.telephony_xlsx, methods=["GET"]),
    Route("/portaal", portal_pages.page, methods=["GET"]),
    Route("/portaal/live", portal_pages.changes, methods=["GET"]),
    Route("/portaal/rapportages", client_reports.portal_list, methods=["GET"]),
    Route("/portaal/rapportages/{report_id}.pdf", client_reports.download_pdf, methods=["GET"]),
    Route("/portaal/rapportages/{report_id}.xlsx", client_reports.download_xlsx, methods=["GET"]),
    # The contractor portal (docs/chain.md): its own orders only.
    Route("/aannemer", contractor_portal.page, methods=["GET"]),
    Route("/aannemer/live", contractor_portal.changes, methods=["GET"]),
    Route("/aannemer/opdrachten/{order_number}", contractor_portal.detail, methods=["GET"]),
    Route(
        "/aannemer/opdrachten/{order_number}/accepteren",
        contractor_portal.accept,
        methods=["POST"],
    ),
    Route(
        "/aannemer/opdrachten/{order_number}/weigeren", contractor_portal.decline, methods=["POST"]
    ),
    Route(
        "/aannemer/opdrachten/{order_number}/inplannen", contractor_portal.plan, methods=["POST"]
    ),
    Route(
        "/aannemer/opdrachten/{order_number}/monteur", contractor_portal.assign, methods=["POST"]
    ),
    Route(
        "/aannemer/opdrachten/{order_number}/gereed",
        contractor_portal.report_done,
        methods=["POST"],
    ),
    Route("/sjablonen", message_templates.clients, methods=["GET"]),
    Route("/sjablonen/{client}", message_templates.overview, methods=["GET"]),
    Route("/sjablonen/{client}/{kind}/{file}", message_templates.edit, methods=["GET"]),
    Route("/sjablonen/{client}/{kind}/{file}", message_templates.save, methods=["POST"]),
    # For tenants, without a login: the signed token in the path is the key.
    Route("/volg/{token}", tracking.page, methods=["GET"]),
    Route("/volg/{token}/niet-thuis", tracking.not_home, methods=["POST"]),
    Route("/volg/{token}/verzetten", tracking.move, methods=["POST"]),
    Route("/volg/{token}/annuleren", tracking.cancel, methods=["POST"]),
    Route("/volg/{token}/opmerking", tracking.remark, methods=["POST"]),
    Route("/volg/{token}/foto", tracking.photo, methods=["POST"]),
    Route("/volg/{token}/push", tracking.push, methods=["POST"]),
    Route("/volg/{token}/push/stand", tracking.push_state, methods=["POST"]),
    Route("/volg/{token}/push/uit", tracking.push_stop, methods=["POST"]),
    # Fixed paths before /contacten/{contact_id}.
    Route("/contacten", contact_pages.contact_list, methods=["GET"]),
    Route("/contacten/registreren", contact_pages.register_form, methods=["GET"]),
    Route("/contacten/registreren", contact_pages.register, methods=["POST"]),
    Route("/contacten/live", contact_pages.contacts_live, methods=["GET"]),
    Route("/contacten/actief", contact_pages.current, methods=["GET"]),
    Route("/contacten/{contact_id}", contact_pages.detail, methods=["GET"]),
    Route("/contacten/{contact_id}", contact_pages.update, methods=["POST"]),
    Route("/contacten/{contact_id}/pop", contact_pages.pop, methods=["GET"]),
    Route("/contacten/{contact_id}/doorverbinden", contact_pages.transfer, methods=["POST"]),
    Route("/contacten/{contact_id}/antwoord", mail_pages.contact_reply, methods=["POST"]),
    Route("/dossiers/{order_number}/antwoord", mail_pages.dossier_reply, methods=["POST"]),
    Route("/contactinstellingen", contact_settings.client_list, methods=["GET"]),
    Route("/contactinstellingen/{client}", contact_settings.edit, methods=["GET"]),
    Route("/contactinstellingen/{client}", contact_settings.save, methods=["POST"]),
    # Fixed paths before /kennisbank/{article_id}.
    Route("/kennisbank", knowledge_pages.article_list, methods=["GET"]),
    Route("/kennisbank/nieuw", knowledge_pages.new_form, methods=["GET"]),
    Route("/kennisbank/nieuw", knowledge_pages.create, methods=["POST"]),
    Route("/kennisbank/{article_id}", knowledge_pages.detail, methods=["GET"]),
    Route("/kennisbank/{article_id}/bewerken", knowledge_pages.edit_form, methods=["GET"]),
    Route("/kennisbank/{article_id}/bewerken", knowledge_pages.save, methods=["POST"]),
    Route(
        "/kennisbank/{article_id}/versies/{article_version}",
        knowledge_pages.version,
        methods=["GET"],
    ),
    # Escalation cases (seed 003): the desk and the client's users read; the client works them.
    Route("/escalaties", escalation_pages.case_list, methods=["GET"]),
    Route("/escalaties/{case_id}", escalation_pages.detail, methods=["GET"]),
    Route("/escalaties/{case_id}/stap", escalation_pages.record_step, methods=["POST"]),
    # Privacy (AVG), admins only: the tenant's number travels in POST bodies only.
    Route("/privacy", privacy_pages.page, methods=["GET"]),
    Route("/privacy/zoeken", privacy_pages.find, methods=["POST"]),
    Route("/privacy/inzage", privacy_pages.access, methods=["POST"]),
    Route("/privacy/wissen", privacy_pages.erase, methods=["POST"]),
    Route("/privacy/inzagelog", privacy_pages.view_log, methods=["GET"]),
    # Online reporting for tenants, without a login (server/selfservice).
    Route("/melden/{client}", melden.page, methods=["GET"]),
    Route("/melden/{client}/adres", melden.start, methods=["POST"]),
    Route("/melden/{client}/code", melden.code, methods=["POST"]),
    Route("/melden/{client}/nieuwe-code", melden.new_code, methods=["POST"]),
    Route("/melden/{client}/woning", melden.home, methods=["POST"]),
    Route("/melden/{client}/onderwerp", melden.subject, methods=["POST"]),
    Route("/melden/{client}/antwoord", melden.answer, methods=["POST"]),
    Route("/melden/{client}/terug", melden.back, methods=["POST"]),
    Route("/melden/{client}/details", melden.details, methods=["POST"]),
    Route("/melden/{client}/versturen", melden.send, methods=["POST"]),
    Route("/melden/{client}/opnieuw", melden.restart, methods=["POST"]),
    # Fixed paths before /koppelingen/{integration_id}.
    Route("/koppelingen", integration_pages.integration_list, methods=["GET"]),
    Route("/koppelingen/nieuw", integration_pages.new_form, methods=["GET"]),
    Route("/koppelingen/nieuw", integration_pages.create, methods=["POST"]),
    Route("/koppelingen/{integration_id}", integration_pages.edit, methods=["GET"]),
    Route("/koppelingen/{integration_id}", integration_pages.save, methods=["POST"]),
    Route("/koppelingen/{integration_id}/sleutel", integration_pages.new_key, methods=["POST"]),
    Route("/enquete/{token}", survey.form, methods=["GET"]),
    Route("/enquete/{token}", survey.submit, methods=["POST"]),
    Route("/enquete-gesprek/{token}", call_survey.form, methods=["GET"]),
    Route("/enquete-gesprek/{token}", call_survey.submit, methods=["POST"]),
]

# VERA's own paths for a contractor's or client's system (docs/chain.md); its key is the login.
vera_routes = [
    Route("/ping", vera.ping, methods=["GET"]),
    Route("/onderhoudsorders/{id}", vera.order, methods=["GET"]),
    Route("/onderhoudsorders/{id}", vera.order_update, methods=["PATCH", "PUT"]),
    Route("/afspraken", vera.appointment, methods=["POST"]),
    Route("/afspraken/{id}", vera.appointment, methods=["PUT", "PATCH"]),
    Route("/fotos/{id}", vera.photo, methods=["GET"]),
    # Last: any other path answers as VERA does (a Foutbericht), not with our own error shape.
    Route("/{path:path}", vera.unknown, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
]

routes = [
    Route("/healthz", health.healthz, methods=["GET"]),
    Route("/favicon.ico", health.favicon, methods=["GET"], include_in_schema=False),
    Route("/readyz", health.readyz, methods=["GET"]),
    # Prometheus (METRICS_TOKEN) or an admin; not in the API's description.
    Route("/metrics", metrics.endpoint, methods=["GET"], include_in_schema=False),
    Mount("/api/v1", routes=[*api_routes, *field_routes.api_routes]),
    Mount("/api/vera/v4", routes=vera_routes),
    Mount("/static", HashedStaticFiles(directory=static.ROOT), name="static"),
    *page_routes,
    *field_routes.page_routes,
]

# Bodies that may exceed MAX_BODY_BYTES, up to MAX_UPLOAD_BYTES (server/web/body_limits.py):
# a photo, a full batch of the technician app's operations, a protocol file.
LARGE_BODIES = frozenset(
    {
        ("PUT", "/api/v1/photos/{client_id}"),
        ("POST", "/volg/{token}/foto"),
        ("POST", "/api/v1/sync/push"),
        ("POST", "/api/v1/protocols/{client}"),
        ("POST", "/api/v1/protocols/{client}/check"),
        ("POST", "/protocollen/{client}/bewerken"),
        # A tenant's photos (scaled in the browser; without script up to four as taken).
        ("POST", "/melden/{client}/details"),
        # A contractor's werkbon with its photos.
        ("POST", "/aannemer/opdrachten/{order_number}/gereed"),
        ("POST", "/beheer/opdrachtgevers/{client}/logo"),
        ("POST", "/beheer/opdrachtgevers/{client}/woningbestand"),
    }
)

# Reachable without logging in; everything else must refuse an anonymous caller.
PUBLIC_PATHS = (
    frozenset(
        {
            "/healthz",
            "/favicon.ico",
            "/readyz",
            "/login",
            "/api/v1/auth/token",
            "/api/v1/openapi.json",
            # The secret in the path stands in for a login (CM calls it).
            "/api/v1/webhooks/sms/{secret}",
            # Signed with the telephony secret (HMAC) or Twilio's auth token instead.
            "/api/v1/telephony/events",
            "/api/v1/telephony/twilio",
            # A tenant's signed, expiring link is the key (server/communication/links.py).
            "/volg/{token}",
            "/volg/{token}/niet-thuis",
            "/volg/{token}/verzetten",
            "/volg/{token}/annuleren",
            "/volg/{token}/opmerking",
            "/volg/{token}/foto",
            "/volg/{token}/push",
            "/volg/{token}/push/stand",
            "/volg/{token}/push/uit",
            "/enquete/{token}",
            "/enquete-gesprek/{token}",
            # Online reporting: the draft in the tenant's cookie is the key; a confirmed code
            # before any dossier (server/selfservice).
            "/melden/{client}",
            "/melden/{client}/adres",
            "/melden/{client}/code",
            "/melden/{client}/nieuwe-code",
            "/melden/{client}/woning",
            "/melden/{client}/onderwerp",
            "/melden/{client}/antwoord",
            "/melden/{client}/terug",
            "/melden/{client}/details",
            "/melden/{client}/versturen",
            "/melden/{client}/opnieuw",
            # An integration's own key (X-API-KEY) is the login (server/web/api/vera.py).
            *(f"/api/vera/v4{r.path}" for r in vera_routes),
            # A pending login (password right, code still to come) is its own check; the
            # e-mailed link's single-use token is the key; a client's logo is no secret.
            "/login/code",
            "/login/tweestaps",
            "/wachtwoord-vergeten",
            "/account/wachtwoord/{token}",
            "/merk/{client}/logo.png",
            "/merk/{client}/huisstijl.css",
        }
    )
    | field_routes.PUBLIC_PATHS
)
