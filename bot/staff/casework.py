"""One-step triage: the proposal page's single form (assign, department, next action, status,
note, reply: one save), stepping through the filtered queue, and bulk changes from the queue.

A save carries the version the page showed; when the proposal changed meanwhile nothing is
written and the page comes back with what changed and with everything the staff member typed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from bot.staff.views import neighbours, proposal_view, queue_filter, refusal_code, staff_names
from bot.staff.words import actor_name, history_line
from storage.staff import current_due, today_of
from workflows.triage import TRANSITIONS, Refused, StaffMember, Stale, TriageForm

if TYPE_CHECKING:
    from bot.staff.console import Console

KEEP = "__keep__"  # the bulk form's "leave the assignee as it is"
MAX_TEXT = 5000  # a longer reply, note or reason is refused (and given back), never cut
FIELDS = (
    "assignee", "department", "next_action_due", "status", "reason", "note", "reply", "acknowledge",
)  # fmt: skip


def _back(value: str) -> str:
    """The queue's query string a proposal page steps through (only the queue's own keys)."""
    allowed = {
        "platform", "status", "theme", "department", "channel", "overdue", "q", "sort", "page",
        "view", "assignee",
    }  # fmt: skip
    pairs = [(k, v[:200]) for k, v in parse_qsl(value[:2000]) if k in allowed]
    return urlencode(pairs)


def _link(reference: str | None, back: str) -> str | None:
    if reference is None:
        return None
    return f"/staff/proposals/{quote(reference)}" + (f"?back={quote(back)}" if back else "")


def _day(text: str) -> dt.date | None:
    """2026-12-07 (a date input) or 2026/12/07; empty is "keep"; anything else raises."""
    text = text.strip().replace("/", "-")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise Refused("unreadable date", code="date") from None


async def show_proposal(
    console: Console,
    request: Request,
    member: StaffMember,
    reference: str,
    *,
    whole: bool = False,
    typed: dict[str, str] | None = None,
    error_code: str | None = None,
    changes: list[Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The proposal page; `typed` refills the form after a refused save."""
    view = await asyncio.to_thread(proposal_view, console.store, member, reference, whole=whole)
    if view is None:
        raise HTTPException(404, "提案が見つかりません。 (No such proposal.)")
    proposal = view["proposal"]
    back = _back((typed or {}).get("back") or request.query_params.get("back", ""))
    where = queue_filter(dict(parse_qsl(back)), member)
    today = console.today(member.platforms)
    before, after = await asyncio.to_thread(neighbours, console.store, where, today, reference)
    names = await asyncio.to_thread(staff_names, console.store, (proposal.platform_id,))
    platform = console.platforms[proposal.platform_id]
    lang = member.language

    def describe(event: Any) -> str:
        return history_line(event, lang=lang, names=names, platform=platform)

    def who(actor: str) -> str:
        return actor_name(actor, lang=lang, names=names)

    extras: dict[str, Any] = {}
    for extra in console.proposal_extras:
        extras.update(await asyncio.to_thread(extra, proposal))
    due = current_due(proposal)
    return console.render(
        "proposal.html",
        request,
        member,
        status_code=status_code,
        error_code=error_code,
        platform=platform,
        next_statuses=sorted(str(s) for s in TRANSITIONS.get(proposal.status, set())),
        typed=typed or {},
        changes=changes or [],
        back=back,
        queue_link="/staff/queue" + (f"?{back}" if back else ""),
        previous=_link(before, back),
        following=_link(after, back),
        describe=describe,
        who=who,
        names=names,
        current_due=due,
        days_left=(due - today_of(today, proposal.platform_id)).days if due else None,
        **view,
        **extras,
    )


def register_casework(routes: APIRouter, console: Console) -> None:
    """Add the one-step triage save and the queue's bulk change."""

    @routes.post("/proposals/{reference}/triage")
    async def triage(reference: str, request: Request) -> Response:
        member = await console.require(request)
        form = {k: str(v) for k, v in (await request.form()).items()}
        console.check_csrf(request, form.get("csrf", ""))
        back = _back(form.get("back", ""))
        # Kept whole to give back on a refusal (the /staff body limit bounds it at 64 KB).
        typed = {k: form.get(k, "") for k in (*FIELDS, "back")}
        where = queue_filter(dict(parse_qsl(back)), member)
        today = console.today(member.platforms)
        # The next proposal is taken before saving: the save may take this one off the list.
        _, after = await asyncio.to_thread(neighbours, console.store, where, today, reference)
        try:
            if any(len(typed[k]) > MAX_TEXT for k in ("reason", "note", "reply")):
                raise Refused("too long", code="too_long")
            version = int(form.get("version", "0"))
            wanted = TriageForm(
                version=version,
                seen_event=int(form.get("seen_event", "0") or 0),
                assignee=typed["assignee"] if "assignee" in form else None,
                department=typed["department"] or None,
                next_action_due=_day(typed["next_action_due"]),
                status=typed["status"],
                reason=typed["reason"],
                note=typed["note"],
                reply=typed["reply"],
                acknowledge=form.get("acknowledge") == "1",
            )
            await asyncio.to_thread(_apply, console, member, reference, wanted)
        except Stale as exc:
            return await show_proposal(
                console, request, member, reference, typed=typed, error_code="stale",
                changes=exc.changes, status_code=409,
            )  # fmt: skip
        except Refused as exc:
            return await show_proposal(
                console, request, member, reference, typed=typed,
                error_code=refusal_code(exc), status_code=422,
            )  # fmt: skip
        except ValueError:
            raise HTTPException(400, "フォームを読み取れませんでした。 (Malformed form.)") from None
        console.on_send()
        if wanted.reply.strip() and console.mailer is not None:
            await asyncio.to_thread(_mail_reply, console, member, reference, wanted.reply.strip())
        target = after if form.get("go") == "next" and after else reference
        link = _link(target, back) or f"/staff/proposals/{quote(target)}"
        return RedirectResponse(link + ("&" if "?" in link else "?") + "done=triage", 303)

    @routes.post("/queue/bulk")
    async def bulk(request: Request) -> Response:
        member = await console.require(request)
        raw = await request.form()
        console.check_csrf(request, str(raw.get("csrf", "")))
        back = _back(str(raw.get("back", "")))
        references = [str(r) for r in raw.getlist("ref")][:200]
        assignee = str(raw.get("assignee", KEEP))
        wanted = TriageForm(
            version=None,
            assignee=None if assignee == KEEP else assignee,
            status=str(raw.get("status", "")),
            reason=str(raw.get("reason", ""))[:MAX_TEXT],  # a decline reason, one line
        )
        code = "selection" if not references else None
        done = 0
        for reference in references:
            try:
                await asyncio.to_thread(_apply, console, member, reference, wanted)
                done += 1
            except Refused as exc:
                code = code or refusal_code(exc)
        if done:
            console.on_send()
        outcome = f"error={code}" if code else "done=bulk"
        return RedirectResponse(f"/staff/queue?{back}&{outcome}".replace("?&", "?"), 303)


def _mail_reply(console: Console, member: StaffMember, reference: str, text: str) -> None:
    """The e-mail copy of a saved reply, to the address the proposer gave (after commit)."""
    with console.store.begin() as tx:
        proposal = tx.proposal_in(reference=reference, platforms=member.platforms)
        if proposal is None:
            return
        address = (proposal.record.get("proposer") or {}).get("email")
        lang = proposal.language
    if console.mailer is not None:
        console.mailer.send_reply(to=address, reference=reference, text=text, lang=lang)


def _apply(console: Console, member: StaffMember, reference: str, wanted: TriageForm) -> None:
    """One save, with the departments of the proposal's own desk as the known ones."""
    with console.store.begin() as tx:
        proposal = tx.proposal_in(reference=reference, platforms=member.platforms)
        if proposal is None:
            raise Refused(f"no proposal {reference}", code="not_found")
        platform = console.platforms.get(proposal.platform_id)
        known = {d.id for d in platform.departments} if platform is not None else set()
    console.triage.apply(member, reference, wanted, known=known)


__all__ = ["register_casework", "show_proposal"]
