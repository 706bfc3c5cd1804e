"""Files and images: kept with an intake, else "text only here".

A channel marks such a message with `notice: file` and `files` in its route (the platform's
own id for each, the name and size it reports); a caption or comment comes as the text.
During an intake each file is downloaded through the channel's SDK (`fetch`), checked and
stored under the data directory (`storage.attachments`) with no transaction open; then the
event is claimed, the attachments recorded and listed in the intake's slots (a caption kept
as the file's note), and one reply queued, in one transaction. Outside an intake nothing is
downloaded: a caption is read by the desk as a message; a bare file gets "text only here".
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Protocol

from storage import attachments, inbound, messaging, repository
from storage.store import SqlStore
from workflows import Incoming, Outgoing, State
from workflows.resume import IN_PROPOSAL
from workflows.texts import t

__all__ = ["FILES_SLOT", "Fetches", "answer_file"]

FILES_SLOT = "channel.files"  # listed in the record's content.attachments when filed
INTAKE_STATES = {state.value for state in IN_PROPOSAL}
MAX_FILES = 5  # per message: Slack shares up to ten at once; the rest are not kept
NOTE_LIMIT = 200  # characters of a caption kept with the file
log = logging.getLogger("madoguchi.files")


class Fetches(Protocol):
    """A channel that can download a file a user sent."""

    async def fetch(self, platform: str, file: dict[str, Any], *, limit: int) -> bytes:
        """The file's bytes; `attachments.Refused("size")` past `limit`."""
        ...


def _state(store: SqlStore, incoming: Incoming) -> str | None:
    with store.begin() as tx:
        conversation = repository.find_conversation(
            tx.session,
            platform_id=incoming.platform,
            channel=incoming.channel,
            user_key=incoming.user_key,
        )
        return conversation.state if conversation else None


def _reply(outcome: dict[str, str | int] | str | None, lang: str, limit: int, name: str) -> str:
    if isinstance(outcome, dict):
        return t("channel.file_kept", lang, name=name)
    if outcome == "size":
        return t("channel.file_too_big", lang, limit=max(1, limit // (1024 * 1024)))
    if outcome == "type":
        return t("channel.file_type", lang)
    return t("channel.text_only", lang)


def _settle(
    store: SqlStore,
    *,
    event_id: int,
    incoming: Incoming,
    route: dict[str, Any],
    kept: list[dict[str, str | int] | str],
    limit: int,
) -> None:
    """Claim the event, record the kept files and queue the replies, together."""
    with store.begin() as tx:
        session = tx.session
        if not inbound.claim_inbound(session, event_id=event_id):
            return
        conversation = repository.open_conversation(
            session,
            platform_id=incoming.platform,
            channel=incoming.channel,
            user_key=incoming.user_key,
            initial_state=State.IDLE.value,
        )
        lang = conversation.language
        slots = dict(conversation.slots)
        texts = []
        outcomes: list[dict[str, str | int] | str | None] = [*kept] or [None]
        for outcome in outcomes:
            name = ""
            if isinstance(outcome, dict) and conversation.state in INTAKE_STATES:
                note = str(outcome.pop("note", "") or "")
                row = attachments.add_attachment(
                    session,
                    platform_id=incoming.platform,
                    conversation_id=conversation.id,
                    channel=incoming.channel,
                    stored=outcome,
                )
                entry = attachments.reference(row) + (f" — {note}" if note else "")
                slots[FILES_SLOT] = [*slots.get(FILES_SLOT, []), entry]
                name = row.file_name
            texts.append(_reply(outcome, lang, limit, name))
        if slots != conversation.slots:
            repository.save_conversation(
                session,
                conversation_id=conversation.id,
                state=conversation.state,
                slots=slots,
                language=lang,
            )
        reply = Outgoing(text="\n".join(dict.fromkeys(texts)))  # one reply, no repeats
        repository.log_message(
            session, conversation_id=conversation.id, direction="out", text=reply.text
        )
        clean = {k: v for k, v in route.items() if k not in ("notice", "files")}
        messaging.enqueue(
            session,
            platform_id=incoming.platform,
            channel=incoming.channel,
            user_key=incoming.user_key,
            conversation_id=conversation.id,
            payload={**reply.to_payload(), "route": clean, "part": 0},
        )


async def answer_file(
    *,
    store: SqlStore,
    channel: object,
    event_id: int,
    incoming: Incoming,
    route: dict[str, Any],
    data_dir: Path,
    limit: int,
) -> bool:
    """Keep the files sent during an intake, or say the desk reads text here.

    False when the event is not answered here: outside an intake, a file with a caption is
    a message like any other (the caption is read by the desk). A download that fails for a
    transient reason raises: the inbox tries the event again.
    """
    sent = [f for f in route.get("files") or [] if isinstance(f, dict)][:MAX_FILES]
    state = await asyncio.to_thread(_state, store, incoming)
    if state not in INTAKE_STATES or not sent or limit <= 0 or not hasattr(channel, "fetch"):
        if incoming.text.strip():
            return False
        await asyncio.to_thread(
            _settle, store, event_id=event_id, incoming=incoming, route=route, kept=[], limit=limit
        )
        return True
    outcomes: list[dict[str, str | int] | str] = []
    for file in sent:
        reported = file.get("size")
        if isinstance(reported, int) and reported > limit:
            outcomes.append("size")  # not even downloaded
            continue
        try:
            data = await channel.fetch(incoming.platform, file, limit=limit)
            stored = await asyncio.to_thread(
                attachments.store_bytes,
                data,
                data_dir=data_dir,
                platform_id=incoming.platform,
                name=str(file.get("name") or ""),
                limit=limit,
            )
        except attachments.Refused as exc:
            outcomes.append(exc.reason)
            continue
        if incoming.text.strip():
            stored["note"] = incoming.text.strip()[:NOTE_LIMIT]
        outcomes.append(stored)
    log.info(
        "%s/%s sent %d file(s) during an intake: %s",
        incoming.channel,
        incoming.platform,
        len(sent),
        ", ".join("kept" if isinstance(o, dict) else f"refused ({o})" for o in outcomes),
    )
    await asyncio.to_thread(
        _settle,
        store,
        event_id=event_id,
        incoming=incoming,
        route=route,
        kept=outcomes,
        limit=limit,
    )
    return True
