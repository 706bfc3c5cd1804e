"""Where proposals and inquiries were posted in a Slack staff channel, and what the post
shows: so a post is updated in place (chat.update) when its item changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from storage.models import Inquiry, Proposal, StaffPost

PROPOSAL, INQUIRY = "proposal", "inquiry"


def remember_post(
    session: Session, *, platform_id: str, kind: str, item_id: int, channel: str, state: str
) -> None:
    """A post was queued for an item (its ts comes when Slack has it: `set_ts`)."""
    session.add(
        StaffPost(platform_id=platform_id, kind=kind, item_id=item_id, channel=channel, state=state)
    )


def set_ts(
    session: Session, *, platform_id: str, kind: str, item_id: int, channel: str, ts: str
) -> None:
    """Slack answered the post: keep its channel id and ts."""
    post = session.exec(
        select(StaffPost).where(
            StaffPost.platform_id == platform_id,
            StaffPost.kind == kind,
            StaffPost.item_id == item_id,
        )
    ).first()
    if post is None:
        post = StaffPost(platform_id=platform_id, kind=kind, item_id=item_id, channel=channel)
    post.channel, post.ts = channel[:64], ts[:32]
    session.add(post)


def post_of(session: Session, *, platform_id: str, kind: str, item_id: int) -> StaffPost | None:
    """The post of an item, if it was posted."""
    return session.exec(
        select(StaffPost).where(
            StaffPost.platform_id == platform_id,
            StaffPost.kind == kind,
            StaffPost.item_id == item_id,
        )
    ).first()


def recent_posts(
    session: Session, *, platform_id: str, since: dt.datetime
) -> list[tuple[StaffPost, Any]]:
    """Posts of the last while with their items (proposal or inquiry), oldest first."""
    posts = list(
        session.exec(
            select(StaffPost)
            .where(StaffPost.platform_id == platform_id, col(StaffPost.posted_at) >= since)
            .order_by(col(StaffPost.id))
        )
    )
    wanted = {kind: [p.item_id for p in posts if p.kind == kind] for kind in (PROPOSAL, INQUIRY)}
    items: dict[tuple[str, int], Any] = {}
    if wanted[PROPOSAL]:
        for p in session.exec(select(Proposal).where(col(Proposal.id).in_(wanted[PROPOSAL]))):
            items[(PROPOSAL, p.id or 0)] = p
    if wanted[INQUIRY]:
        for i in session.exec(select(Inquiry).where(col(Inquiry.id).in_(wanted[INQUIRY]))):
            items[(INQUIRY, i.id or 0)] = i
    return [(p, items[(p.kind, p.item_id)]) for p in posts if (p.kind, p.item_id) in items]


def mark_post(
    session: Session, *, post: StaffPost, state: str | None = None, followup_at: Any = None
) -> None:
    """Remember what a post now shows (and the follow-up it announced)."""
    if state is not None:
        post.state = state[:500]
    if followup_at is not None:
        post.followup_at = followup_at
    session.add(post)


__all__ = ["INQUIRY", "PROPOSAL", "mark_post", "post_of", "recent_posts", "remember_post", "set_ts"]
