"""The management dashboard: every figure for one scope and period, with the previous period.

Each chart is also a plain table (columns and rows), so the page can show it as a table and
the same numbers go to Excel without a second definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from tortoise.transactions import in_transaction

from server import db, scoping
from server.domain import codes, dutch, kpis
from server.domain.kpis import Comparison, Grain, Period
from server.domain.lifecycle import PHASE_LABELS
from server.domain.roles import DESK_ROLES
from server.domain.telephony import DEFAULT_NORM, norm_of
from server.insight import call_survey_figures, telephony, telephony_tables
from server.insight.figures import Figures, Scope
from server.insight.sql import start_reading
from server.insight.telephony import Telephony
from server.knowledge import figures as knowledge_figures
from server.models import Client, User


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # bar, line, doughnut, heatmap, table
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""
    # Per column, one of dutch.UNITS: how the page writes it and Excel formats it.
    units: list[str] = field(default_factory=list)

    def unit(self, column: int) -> str:
        if column < len(self.units):
            return self.units[column]
        return "tekst" if column == 0 else "aantal"

    def as_json(self) -> dict[str, Any]:
        """For the chart script: labels (first column) as shown on the page, figures as
        numbers (Chart.js writes them in nl-NL)."""
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "columns": self.columns,
            "units": [self.unit(i) for i in range(len(self.columns))],
            "rows": [[dutch.by_unit(r[0], self.unit(0)), *r[1:]] for r in self.rows],
        }


@dataclass
class Dashboard:
    client: Client | None
    period: Period
    previous: Period
    grain: Grain
    kpis: list[Comparison]
    charts: list[Chart] = field(default_factory=list)
    survey_pending: bool = False
    telephony: Telephony | None = None

    def chart(self, key: str) -> Chart:
        for chart in self.charts:
            if chart.key == key:
                return chart
        from server.domain.errors import NotFound

        raise NotFound(f"Grafiek '{key}' bestaat niet.", "grafiek")


async def scope_for(user: User, client_code: str) -> tuple[Scope, Client | None]:
    """Desk roles may look across clients; a client user only ever at its own (else 404)."""
    if client_code:
        client = await scoping.client(user, client_code)
        return Scope((client.id,)), client
    if user.role in DESK_ROLES:
        return Scope(None), None
    own = await scoping.clients(user).first()
    if own is None:
        return Scope(()), None
    return Scope((own.id,)), own


async def headline(
    f: Figures, period: Period, now: datetime, raw: dict[str, Any] | None = None
) -> dict[str, float | None]:
    """The headline figures (kpis.KPIS); `raw` receives the detailed results for the charts
    to reuse. The client reports (server/insight/client_report.py) read these too."""
    reports = await f.reports(period)
    contacted, counted = await f.contacted_24h(period, now)
    lead = await f.lead_time(period.start, period.end)
    ftf = await f.first_time_fix(period)
    deadlines = await f.deadlines(period, now)
    results, orders = await f.results(period)
    closed = sum(n for _, n in results)
    survey = await f.survey(period)
    score = None
    if survey and survey["n"]:
        scores = [float(v) for k, v in survey.items() if k != "n" and v is not None]
        score = round(sum(scores) / len(scores), 2) if scores else None
    if raw is not None:
        raw.update(ftf=ftf, deadlines=deadlines, results=(results, orders), survey=survey)
    return {
        "reports": float(reports),
        "contacted_24h": kpis.share(contacted, counted),
        "lead_time_median": lead["p50"],
        "lead_time_p90": lead["p90"],
        "first_time_fix": kpis.share(ftf["ftf"], ftf["visited"]),
        "remote_solved": float(ftf["remote"]),
        "deadline_acuut": kpis.share(*deadlines["acuut"]),
        "deadline_urgent": kpis.share(*deadlines["urgent"]),
        "order_share": kpis.share(orders, closed),
        "survey": score,
    }


async def build(
    user: User, client_code: str, period: Period, grain: Grain | None, now: datetime
) -> Dashboard:
    scope, client = await scope_for(user, client_code)
    previous = period.previous()
    # Agents' names are the meldkamer's business: a client sees its own averages only.
    raw: dict[str, Any] = {"agents": user.role in DESK_ROLES}
    async with in_transaction() as conn:
        await start_reading(conn, db.dialect())
        f = Figures(conn, db.dialect(), scope)
        current, before = await headline(f, period, now, raw), await headline(f, previous, now)
        board = Dashboard(
            client=client,
            period=period,
            previous=previous,
            grain=grain or kpis.grain_for(period),
            kpis=[Comparison(current[k.key], before[k.key], k) for k in kpis.KPIS],
            survey_pending=raw["survey"] is None,
        )
        board.charts = await _charts(f, board, raw)
        norm = norm_of(client.settings) if client else DEFAULT_NORM
        board.telephony = await telephony.figures_in(
            conn, db.dialect(), scope, period, board.grain, norm, telephony.labels_of(client)
        )
        board.charts += _telephony_charts(board.telephony)
    return board


def _telephony_charts(t: Telephony) -> list[Chart]:
    """The telephony tables as charts: each on the page with its table and Excel file."""
    kinds = {"bezetting_aangeboden": "heatmap", "bezetting_aangenomen": "heatmap"}
    kinds |= {"telefonie": "table", "servicelevel": "table", "contactkanalen": "doughnut"}
    return [
        Chart(
            table.key,
            table.title,
            kinds.get(table.key, "bar"),
            table.columns,
            table.rows,
            table.note,
        )
        for table in telephony_tables.tables(t)
        if table.key != "per_uur"  # the heatmap shows it per weekday
    ]


async def _charts(f: Figures, board: Dashboard, raw: dict[str, Any]) -> list[Chart]:
    period, grain = board.period, board.grain
    series = await f.series(period, grain)
    grid = await f.heatmap(period)
    heat_rows = [[kpis.WEEKDAY_LABELS[d], *grid[d]] for d in range(7)]
    labels = codes.CATEGORY_LABELS
    charts = [
        Chart(
            "meldingen",
            f"Meldingen {kpis.GRAIN_LABELS[grain].lower()}",
            "bar",
            ["Vanaf", "Meldingen"],
            [[b, n] for b, n in series],
            units=["datum", "aantal"],
        ),
        Chart(
            "heatmap",
            "Meldingen per weekdag en uur (Nederlandse tijd)",
            "heatmap",
            ["Dag", *[f"{h:02d}" for h in range(24)]],
            heat_rows,
        ),
        Chart(
            "kanalen",
            "Meldingen per kanaal",
            "doughnut",
            ["Kanaal", "Meldingen"],
            [[codes.CHANNEL_LABELS.get(k, k), n] for k, n in await f.count_by(period, "channel")],
        ),
        Chart(
            "categorieen",
            "Meest voorkomende storingen (categorie)",
            "bar",
            ["Categorie", "Meldingen"],
            [[labels.get(k, k), n] for k, n in await f.count_by(period, "category", 10)],
        ),
        Chart(
            "onderwerpen",
            "Meest voorkomende storingen (uitkomst triage)",
            "bar",
            ["Uitkomst", "Meldingen"],
            [[k, n] for k, n in await f.count_by(period, "outcome", 10)],
        ),
    ]
    charts.append(await _lead_times(f, period))
    phases = await f.phase_times(period)
    charts.append(
        Chart(
            "fasen",
            "Doorlooptijd per fase (uren)",
            "bar",
            ["Fase", "Aantal", "Gemiddeld", "Mediaan", "P90"],
            units=["tekst", "aantal", "uur", "uur", "uur"],
            rows=[
                [PHASE_LABELS.get(g, g), int(s["n"] or 0), s["mean"], s["p50"], s["p90"]]
                for g, s in sorted(phases.items(), key=lambda kv: _phase_order(kv[0]))
            ],
        )
    )
    results, orders = raw["results"]
    charts.append(
        Chart(
            "resultaten",
            "Gesloten dossiers per resultaatcode",
            "bar",
            ["Resultaatcode", "Dossiers"],
            [[codes.RESULT_LABELS.get(k, k), n] for k, n in results],
            note=f"{orders} van {sum(n for _, n in results)} leidden tot een opdracht.",
        )
    )
    ftf = raw["ftf"]
    charts.append(
        Chart(
            "ftf",
            "First time fix en op afstand opgelost",
            "table",
            ["Gesloten", "Met monteursbezoek", "First time fix", "Op afstand opgelost"],
            [[ftf["closed"], ftf["visited"], ftf["ftf"], ftf["remote"]]],
            units=["aantal"] * 4,
        )
    )
    deadlines = raw["deadlines"]
    charts.append(
        Chart(
            "deadlines",
            "Urgentienormen gehaald",
            "table",
            ["Urgentie", "Op tijd", "Telt mee", "Percentage"],
            units=["tekst", "aantal", "aantal", "%"],
            rows=[
                [codes.URGENCY_LABELS[u], met, n, kpis.share(met, n)]
                for u, (met, n) in deadlines.items()
            ],
        )
    )
    charts += await _knowledge(f, period)
    survey = raw["survey"]
    if survey is not None:
        charts.append(
            Chart(
                "enquete",
                f"Enquêtescores (gemiddeld, {survey['n']} ingevuld)",
                "bar",
                ["Aspect", "Score"],
                [[kpis.SURVEY_LABELS[a], survey[a]] for a in kpis.SURVEY_ASPECTS],
                units=["tekst", "score"],
            )
        )
    charts.extend(await _call_survey(f, period, raw["agents"]))
    return charts


async def _knowledge(f: Figures, period: Period) -> list[Chart]:
    """Contacts solved remotely: with which article, and the share without a technician."""
    k = await knowledge_figures.remote_solutions(
        f.scope.client_ids, period.start, period.end, f.conn
    )
    return [
        Chart(
            "zonder_monteur",
            "Contacten opgelost zonder monteur",
            "table",
            [
                "Contacten met resultaat",
                "Op afstand opgelost",
                "Waarvan met artikel",
                "Leidt tot opdracht",
                "Zonder monteur (% van contacten)",
                "Zonder monteur (% van storingen)",
            ],
            [
                [
                    k.contacts,
                    k.remote,
                    k.with_article,
                    k.dispatched,
                    k.share_of_contacts,
                    k.share_of_faults,
                ]
            ],
            note="Storingen: contacten op afstand opgelost of die tot een opdracht leidden.",
        ),
        Chart(
            "kennisbank",
            "Op afstand opgelost per artikel uit de kennisbank",
            "bar",
            ["Artikel", "Contacten"],
            [[f"{title} ({whose})", n] for title, whose, n in k.per_article],
        ),
    ]


async def _call_survey(f: Figures, period: Period, agents: bool) -> list[Chart]:
    """Next to the job survey: the survey after a call, per client and (desk only) per agent."""
    scores = call_survey_figures.SCORE_COLUMNS
    found = [
        Chart(
            "enquete_gesprek",
            "Enquête na het gesprek, per opdrachtgever (gemiddeld, 1-5)",
            "table",
            ["Opdrachtgever", "Uitgenodigd", *scores],
            await call_survey_figures.per_client(f, period),
            note="Over het contact met de meldkamer (telefoon en e-mail), los van de enquête "
            "na een reparatie.",
        )
    ]
    if agents:
        found.append(
            Chart(
                "enquete_gesprek_medewerkers",
                "Enquête na het gesprek, per medewerker (gemiddeld, 1-5)",
                "table",
                ["Medewerker", *scores],
                await call_survey_figures.per_agent(f, period),
                note="Alleen voor de meldkamer; opdrachtgevers zien geen namen van medewerkers.",
            )
        )
    return found


async def _lead_times(f: Figures, period: Period) -> Chart:
    starts = [period.end - relativedelta(months=m) for m in kpis.LEAD_TIME_MONTHS]
    rows: list[list[Any]] = []
    for months, s in zip(
        kpis.LEAD_TIME_MONTHS, await f.lead_times(starts, period.end), strict=True
    ):
        label = "Laatste maand" if months == 1 else f"Laatste {months} maanden"
        rows.append([label, int(s["n"] or 0), s["p50"], s["p90"]])
    return Chart(
        "doorlooptijd",
        "Doorlooptijd gesloten dossiers (uren)",
        "bar",
        ["Periode", "Gesloten", "Mediaan", "P90"],
        rows,
        units=["tekst", "aantal", "uur", "uur"],
    )


def _phase_order(phase: str) -> int:
    order = list(PHASE_LABELS)
    return order.index(phase) if phase in order else len(order)
