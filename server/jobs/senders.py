"""The channel senders a job uses: made once per worker (kept in arq's ctx), or once per
app process when jobs run in-process without Redis."""

from __future__ import annotations

from typing import Any

from server.communication.sending import Channels, channels_from_settings

_in_process: Channels | None = None


async def start(ctx: dict[str, Any]) -> None:
    ctx["channels"] = channels_from_settings()


async def stop(ctx: dict[str, Any]) -> None:
    channels = ctx.pop("channels", None)
    if channels is not None:
        await channels.aclose()


def get(ctx: dict[str, Any]) -> Channels:
    global _in_process
    if "channels" in ctx:
        channels: Channels = ctx["channels"]
        return channels
    if _in_process is None:
        _in_process = channels_from_settings()
    return _in_process


async def reset() -> None:
    """Forget the in-process senders (settings changed, or the app stops)."""
    global _in_process
    if _in_process is not None:
        await _in_process.aclose()
        _in_process = None
