"""Prometheus metrics: what arrives and is acknowledged, turns, the queues, deliveries, sign-ins.

Counters and histograms are per process (scrape every web and worker process); the queue
gauges are read from the database at scrape time, so any process reports the same figures.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import InboundEvent, Outbox
from storage.store import SqlStore

__all__ = ["CONTENT_TYPE_LATEST", "render", "watch_queues"]

log = logging.getLogger("madoguchi.metrics")

LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
SLOW = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)

EVENTS_RECEIVED = Counter(
    "madoguchi_events_received", "Webhook and web-chat requests received", ["channel"]
)
EVENTS_ACKED = Counter(
    "madoguchi_events_acknowledged", "Requests answered 2xx (stored or already stored)", ["channel"]
)
ACK_SECONDS = Histogram(
    "madoguchi_ack_seconds", "Time to acknowledge a webhook", ["channel"], buckets=LATENCY
)
TURN_SECONDS = Histogram(
    "madoguchi_turn_seconds", "Time one desk turn takes", ["channel"], buckets=SLOW
)
TURN_LAG = Histogram(
    "madoguchi_turn_lag_seconds",
    "From the event's arrival to its turn committed (replies queued)",
    ["channel"],
    buckets=SLOW,
)
TURN_FAILURES = Counter("madoguchi_turn_failures", "Turns that failed (retried)", ["channel"])
DELIVERIES = Counter(
    "madoguchi_deliveries",
    "Delivery attempts by outcome (sent, retry, dead)",
    ["channel", "outcome"],
)
SIGN_IN_FAILURES = Counter("madoguchi_sign_in_failures", "Refused staff sign-ins", ["reason"])


def observe_reply_lag(channel: str, received_at: dt.datetime) -> None:
    """An event's turn committed now."""
    received = received_at if received_at.tzinfo else received_at.replace(tzinfo=dt.UTC)
    TURN_LAG.labels(channel).observe(max(0.0, (dt.datetime.now(dt.UTC) - received).total_seconds()))


class QueueCollector(Collector):
    """Inbox depth and age, leases, and the outbox per platform and status, from the database.

    Read at most every `ttl` seconds (a scrape storm costs one set of queries).
    """

    def __init__(self, ttl: float = 5.0) -> None:
        self.store: SqlStore | None = None
        self.ttl = ttl
        self._lock = threading.Lock()
        self._cached: tuple[float, list[GaugeMetricFamily]] = (0.0, [])

    def describe(self) -> Iterator[Any]:
        return iter(())  # read at scrape time only

    def collect(self) -> Iterator[Any]:
        with self._lock:
            at, families = self._cached
            if self.store is not None and time.monotonic() - at > self.ttl:
                try:
                    families = _queue_families(self.store)
                except Exception as exc:  # noqa: BLE001 - a scrape must not fail the process
                    log.warning("queue metrics unavailable: %r", exc)
                    families = []
                self._cached = (time.monotonic(), families)
        yield from families


def _queue_families(store: SqlStore) -> list[GaugeMetricFamily]:
    now = dt.datetime.now(dt.UTC)
    inbox = GaugeMetricFamily(
        "madoguchi_inbox_events", "Inbox events by status", labels=["channel", "status"]
    )
    oldest = GaugeMetricFamily(
        "madoguchi_inbox_oldest_due_seconds", "Age of the oldest due pending event (0: none)"
    )
    leases = GaugeMetricFamily("madoguchi_inbox_leases", "Events leased by a worker now")
    outbox = GaugeMetricFamily(
        "madoguchi_outbox_messages",
        "Outbox messages waiting or dead",
        labels=["platform", "channel", "status"],
    )
    waiting = col(InboundEvent.status).in_(["pending", "failed"])
    with Session(store.engine) as session:
        for channel, status, count in session.exec(
            select(InboundEvent.channel, InboundEvent.status, func.count())
            .where(waiting)
            .group_by(col(InboundEvent.channel), col(InboundEvent.status))
        ):
            inbox.add_metric([channel, status], count)
        since = session.exec(
            select(func.min(InboundEvent.next_attempt_at)).where(
                col(InboundEvent.status) == "pending", col(InboundEvent.next_attempt_at) <= now
            )
        ).one()
        held = session.exec(
            select(func.count()).where(
                col(InboundEvent.lease_until) > now, col(InboundEvent.processed_at).is_(None)
            )
        ).one()
        for platform, channel, status, count in session.exec(
            select(Outbox.platform_id, Outbox.channel, Outbox.status, func.count())
            .where(col(Outbox.status).in_(["pending", "sending", "dead"]))
            .group_by(col(Outbox.platform_id), col(Outbox.channel), col(Outbox.status))
        ):
            outbox.add_metric([platform, channel, status], count)
    age = 0.0
    if since is not None:
        since = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
        age = max(0.0, (now - since).total_seconds())
    oldest.add_metric([], age)
    leases.add_metric([], held)
    return [inbox, oldest, leases, outbox]


_QUEUES = QueueCollector()
REGISTRY.register(_QUEUES)


def watch_queues(store: SqlStore) -> None:
    """Report this store's queues (the process's latest app or worker)."""
    _QUEUES.store = store


def render() -> bytes:
    """Every metric of this process in the Prometheus text format."""
    return generate_latest(REGISTRY)
