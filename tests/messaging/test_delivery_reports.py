"""CM.com status reports, as its webhook posts them (JSON) or passes them (GET parameters)."""

from __future__ import annotations

from typing import Any

import pytest

from server.messaging.cm import CmSmsProvider, parse_delivery_report
from server.messaging.sms import DELIVERY_LABELS, DeliveryStatus, InvalidDeliveryReport


def report(code: str, error_code: str = "", description: str = "") -> dict[str, Any]:
    """The JSON body CM posts (developers.cm.com, "Incoming status reports")."""
    return {
        "messages": {
            "msg": {
                "received": "2025-03-04T02:15:07",
                "to": "0031612345678",
                "reference": "DL2025000123S1",
                "status": {"code": code, "errorCode": error_code, "errorDescription": description},
                "operator": "20416",
            }
        }
    }


def test_delivered() -> None:
    provider = CmSmsProvider(product_token="t", sender="De Linde")

    parsed = provider.parse_delivery_report(report("2"))

    assert parsed.reference == "DL2025000123S1"
    assert parsed.status is DeliveryStatus.DELIVERED
    assert parsed.to_e164 == "+31612345678"
    assert parsed.reason == ""
    assert parsed.final


def test_accepted_by_operator_is_not_final() -> None:
    parsed = parse_delivery_report(report("0"))
    assert parsed.status is DeliveryStatus.ACCEPTED
    assert not parsed.final


def test_failed_carries_the_operator_reason() -> None:
    parsed = parse_delivery_report(report("3", "5", "Absent subscriber"))
    assert parsed.status is DeliveryStatus.FAILED
    assert parsed.reason == "Absent subscriber (5)"
    assert parsed.final


def test_rejected() -> None:
    parsed = parse_delivery_report(report("1", "9", "Illegal number"))
    assert parsed.status is DeliveryStatus.REJECTED
    assert DELIVERY_LABELS[parsed.status] == "Geweigerd"


def test_unknown_code_is_kept_as_unknown() -> None:
    assert parse_delivery_report(report("42")).status is DeliveryStatus.UNKNOWN


def test_msg_as_one_element_list() -> None:
    data = report("2")
    data["messages"]["msg"] = [data["messages"]["msg"]]
    assert parse_delivery_report(data).status is DeliveryStatus.DELIVERED


def test_get_parameters() -> None:
    params = {
        "sent": "2025-03-04T02:15:05",
        "received": "2025-03-04T02:15:07",
        "to": "0031612345678",
        "reference": "DL2025000123S1",
        "statuscode": "3",
        "errorcode": "5",
        "errordescription": "Absent subscriber",
    }
    parsed = parse_delivery_report(params)
    assert (parsed.reference, parsed.status, parsed.reason) == (
        "DL2025000123S1",
        DeliveryStatus.FAILED,
        "Absent subscriber (5)",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "zonder reference"),
        ({"messages": {"msg": "x"}}, "zonder messages.msg"),
        ({"messages": {"msg": {"status": {"code": "2"}}}}, "zonder reference"),
        ({"messages": {"msg": {"reference": "R1", "status": {}}}}, "R1 zonder statuscode"),
        ({"reference": "R1"}, "R1 zonder statuscode"),
    ],
)
def test_not_a_report(data: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidDeliveryReport, match=message):
        parse_delivery_report(data)
