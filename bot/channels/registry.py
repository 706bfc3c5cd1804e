"""Which channels exist: each module registers itself here with one line.

A registration says how to read the channel's credentials from a platform's settings, how to
build the channel from them, and how to mount its webhook routes. A channel without
credentials on any platform is off. The web chat is always on (it needs no secret).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter

from bot.channels.base import Channel
from bot.settings import PlatformChannels, Settings

__all__ = ["Registration", "build_channels", "registrations", "routers", "start_channels"]

log = logging.getLogger("madoguchi.server")


@dataclass(frozen=True)
class Registration:
    """How the server finds, builds and mounts one channel."""

    name: str
    credentials: Callable[[PlatformChannels], Any | None]
    build: Callable[[Settings, dict[str, Any]], Channel]
    # (hub, the built channel, extras such as the Slack staff-action handler) -> routes
    router: Callable[..., APIRouter]


def registrations() -> tuple[Registration, ...]:
    """Every channel with credentials: a new channel is its module plus one line here."""
    from bot.channels import line, slack, telegram

    return (
        line.REGISTRATION,
        slack.REGISTRATION,
        telegram.REGISTRATION,
    )


def build_channels(settings: Settings, platforms: Iterable[str]) -> dict[str, Channel]:
    """The enabled channels; each platform without credentials for one logs that once."""
    from bot.channels import web

    channels: dict[str, Channel] = {web.NAME: web.WebChannel()}
    found: dict[str, dict[str, Any]] = {r.name: {} for r in registrations()}
    for platform in sorted(platforms):
        configured = settings.channels_of(platform)
        missing = []
        for registration in registrations():
            credentials = registration.credentials(configured)
            if credentials is None:
                missing.append(registration.name)
            else:
                found[registration.name][platform] = credentials
        if missing:
            log.warning("%s: %s disabled (no credentials configured)", platform, ", ".join(missing))
    for registration in registrations():
        if found[registration.name]:
            channels[registration.name] = registration.build(settings, found[registration.name])
    return channels


def routers(hub: Any, channels: Mapping[str, Channel], **extras: Any) -> list[APIRouter]:
    """The webhook routes of every enabled channel, the web chat's last."""
    from bot.channels import web

    mounted = [
        registration.router(hub, channels[registration.name], **extras)
        for registration in registrations()
        if registration.name in channels
    ]
    return [*mounted, web.router(hub)]


async def start_channels(channels: Mapping[str, Channel]) -> None:
    """Let channels do their start-up calls (Telegram's command list); failures are logged."""
    for name, channel in channels.items():
        start = getattr(channel, "start", None)
        if start is None:
            continue
        try:
            await start()
        except Exception as exc:  # noqa: BLE001 - the desk works without it
            log.warning("channel %s could not finish its start-up calls: %r", name, exc)
