"""Driving the pages as a browser would: the CSRF field and logging in."""

from __future__ import annotations

import re

import httpx

from tests.support.world import PASSWORD


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


async def login(http: httpx.AsyncClient, username: str) -> None:
    page = await http.get("/login")
    response = await http.post(
        "/login", data={"csrf_token": csrf(page.text), "username": username, "password": PASSWORD}
    )
    assert response.status_code == 303, response.text
