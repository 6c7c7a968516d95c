"""The rhythm of a meldkamer: when reports come in, what they are about, how urgent they are.

Weights, not rules: the demo draws from them with a seeded random generator.
"""

from __future__ import annotations

import random
from datetime import datetime

from server.demo import clock

WEEKDAY_WEIGHT = (1.35, 1.2, 1.0, 1.0, 0.85, 0.6, 0.55)
WORKDAY_HOURS = (
    0.06, 0.04, 0.03, 0.03, 0.04, 0.06, 0.15, 0.5, 1.5, 1.8, 1.6, 1.4,
    1.1, 1.2, 1.1, 1.0, 0.9, 0.7, 0.6, 0.55, 0.5, 0.4, 0.25, 0.12,
)  # fmt: skip
FREE_DAY_HOURS = (
    0.1, 0.07, 0.05, 0.04, 0.04, 0.05, 0.08, 0.2, 0.45, 0.7, 0.8, 0.8,
    0.75, 0.7, 0.7, 0.7, 0.7, 0.65, 0.65, 0.6, 0.55, 0.45, 0.3, 0.15,
)  # fmt: skip
MONTH_WEIGHT = (1.3, 1.25, 1.1, 1.0, 0.9, 0.8, 0.75, 0.8, 0.9, 1.1, 1.2, 1.3)

CATEGORY_WEIGHT = {
    "cv_storing": 16.0,
    "lekkage_woning": 12.0,
    "lekkage_waterleiding": 5.0,
    "gaslek": 1.2,
    "lekkage_afvoer": 10.0,
    "elektra": 8.0,
    "inbraak": 2.5,
    "brand": 0.6,
    "storm": 1.0,
    "calamiteit_overig": 0.8,
    "boiler": 4.0,
    "buitensluiting": 3.5,
    "glasschade": 5.0,
    "lift": 2.5,
    "monitoring": 1.5,
    "overig": 9.0,
}
# Reports outside office hours are mostly the ones that cannot wait.
OUT_OF_HOURS_WEIGHT = {
    "buitensluiting": 3.0,
    "lekkage_woning": 1.5,
    "lekkage_waterleiding": 1.8,
    "gaslek": 1.5,
    "cv_storing": 1.2,
    "brand": 2.0,
    "inbraak": 2.0,
    "glasschade": 1.3,
    "monitoring": 0.7,
    "overig": 0.25,
    "boiler": 0.6,
}
# (acuut, urgent, niet urgent) shares; zero where the default protocol has no such outcome.
URGENCY_SHARES = {
    "lekkage_woning": (0.3, 0.5, 0.2),
    "lekkage_waterleiding": (0.6, 0.4, 0.0),
    "lekkage_afvoer": (0.25, 0.6, 0.15),
    "elektra": (0.3, 0.5, 0.2),
    "inbraak": (0.8, 0.0, 0.2),
    "storm": (0.5, 0.5, 0.0),
    "boiler": (0.2, 0.0, 0.8),
    "glasschade": (0.4, 0.0, 0.6),
    "lift": (0.4, 0.6, 0.0),
    "monitoring": (0.0, 0.5, 0.5),
    "overig": (0.0, 0.25, 0.75),
}
TRADE = {
    "cv_storing": "CVI",
    "lekkage_waterleiding": "LOO",
    "gaslek": "CVI",
    "lekkage_afvoer": "ONT",
    "elektra": "ELE",
    "inbraak": "TIM",
    "brand": "TIM",
    "storm": "DAK",
    "calamiteit_overig": "TIM",
    "boiler": "CVI",
    "buitensluiting": "TIM",
    "glasschade": "GLA",
    "overig": "TIM",
}
LABOUR = {"CVI": 60, "LOO": 60, "ELE": 45, "TIM": 60, "GLA": 75, "DAK": 120, "ONT": 45}
REMOTE_SHARE = {"cv_storing": 0.22, "elektra": 0.2, "lekkage_afvoer": 0.1, "boiler": 0.15}


def report_weight(at: datetime) -> float:
    moment = clock.local(at)
    working = clock.is_working_day(moment.date())
    weight = (WORKDAY_HOURS if working else FREE_DAY_HOURS)[moment.hour]
    weight *= WEEKDAY_WEIGHT[moment.weekday()] if working else 0.55
    if working and moment.weekday() == 0 and 8 <= moment.hour < 12:
        weight *= 1.3  # the weekend's backlog
    if moment.weekday() == 4 and moment.hour >= 13:
        weight *= 0.6
    return weight * MONTH_WEIGHT[moment.month - 1]


def _season(category: str, month: int) -> float:
    if category == "cv_storing":
        return {11: 2.4, 12: 2.4, 1: 2.4, 2: 2.4, 10: 1.6, 3: 1.6, 4: 1.0}.get(month, 0.35)
    if category == "lekkage_woning":
        return 1.5 if month in (3, 4, 10, 11) else 1.1 if month in (9, 12, 1, 2, 5) else 0.7
    if category == "storm":
        return 2.5 if month in (10, 11, 12, 1, 2, 3) else 0.3
    if category == "buitensluiting":
        return 1.2 if month in (6, 7, 8) else 1.0
    return 1.0


def category(rng: random.Random, at: datetime, out_of_hours: bool) -> str:
    month = clock.local(at).month
    evening = 18 <= clock.local(at).hour <= 23
    weights = []
    for name, base in CATEGORY_WEIGHT.items():
        weight = base * _season(name, month)
        if out_of_hours:
            weight *= OUT_OF_HOURS_WEIGHT.get(name, 1.0)
            if evening and name == "buitensluiting":
                weight *= 1.5
        weights.append(weight)
    return rng.choices(list(CATEGORY_WEIGHT), weights)[0]


def urgency(rng: random.Random, category: str, at: datetime) -> str:
    if category in ("gaslek", "brand", "calamiteit_overig", "buitensluiting"):
        return "acuut"
    if category == "cv_storing":
        winter = clock.local(at).month in (11, 12, 1, 2, 3)
        shares = (0.1, 0.75, 0.15) if winter else (0.0, 0.35, 0.65)
    else:
        shares = URGENCY_SHARES[category]
    return rng.choices(("acuut", "urgent", "niet_urgent"), shares)[0]
