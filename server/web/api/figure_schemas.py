"""What the figures API answers (OpenAPI); server/insight/telephony_views.as_json builds it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CallCounts(BaseModel):
    offered: int = Field(description="Inbound calls offered (queued or ringing) in the period")
    answered: int
    answered_within_30s: int
    service_level: float | None = Field(
        description="answered_within_30s / offered, in %; null without calls"
    )
    abandoned: int = Field(description="Ended before anyone answered")
    transferred: int
    average_wait_seconds: float | None = Field(description="Over answered calls")
    average_talk_seconds: float | None
    average_handling_seconds: float | None = Field(description="Talk plus wrap-up")


class HourCount(BaseModel):
    hour: int = Field(description="Local hour (Europe/Amsterdam), 0-23")
    offered: int
    answered: int


class Heatmap(BaseModel):
    offered: list[list[int]] = Field(description="7 rows (Monday first) of 24 local hours")
    answered: list[list[int]]


class SeriesItem(CallCounts):
    start: str = Field(description="First local day of the day, week or month")


class Series(BaseModel):
    grain: str = Field(description="dag, week or maand")
    items: list[SeriesItem]


class ChannelCount(BaseModel):
    channel: str
    contacts: int


class ResultCount(BaseModel):
    code: str
    label: str
    contacts: int


class TelephonyFigures(CallCounts):
    """Telephony figures of one client (or all) over whole local days."""

    model_config = ConfigDict(populate_by_name=True)

    client: str | None = Field(description="The client's code; null for the whole meldkamer")
    first: str = Field(alias="from", description="First day, included")
    last: str = Field(alias="to", description="Last day, included")
    norm: int = Field(description="The client's service-level norm in %")
    per_hour: list[HourCount]
    heatmap: Heatmap
    series: Series
    channels: list[ChannelCount] = Field(description="Every contact, by channel")
    results: list[ResultCount] = Field(description="Every contact with a result, by code")
    order_share: float | None = Field(description="Share (%) of results that led to an order")
