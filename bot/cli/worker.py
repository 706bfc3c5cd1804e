"""`madoguchi worker`: the inbox, outbox, staff announcer and scheduled jobs, without HTTP.

Run any number beside `madoguchi serve` processes started with
MADOGUCHI_BACKGROUND_WORKERS=false, all on one PostgreSQL database. SIGTERM (or Ctrl-C)
stops it gracefully: the turns under way finish, what it holds is handed back.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any

from bot.settings import Settings

log = logging.getLogger("madoguchi.worker")


def register(groups: Any) -> None:
    """Add the worker command."""
    worker = groups.add_parser(
        "worker", help="run the background work: inbox, outbox, staff channel, scheduled jobs"
    )
    worker.add_argument(
        "--metrics-port",
        type=int,
        default=0,
        help="serve Prometheus metrics on this port (default: none)",
    )
    worker.add_argument("--metrics-host", default="127.0.0.1")
    worker.set_defaults(handler=_worker)


def _worker(args: argparse.Namespace) -> int:
    settings = Settings()
    if logging.getLogger().level > logging.INFO:  # starts, stops and jobs are worth a line
        logging.getLogger("madoguchi").setLevel(logging.INFO)
    return asyncio.run(
        run(settings, metrics_port=args.metrics_port, metrics_host=args.metrics_host)
    )


async def run(settings: Settings, *, metrics_port: int = 0, metrics_host: str = "127.0.0.1") -> int:
    """Work until SIGTERM or SIGINT; then stop gracefully. Returns the exit status."""
    from bot import logs, metrics
    from bot.background import Background
    from bot.parts import build_parts

    settings.warn_if_insecure(log)
    parts = await asyncio.to_thread(build_parts, settings)
    logs.install(settings.secrets())
    if parts.store.engine.dialect.name == "sqlite":
        log.warning(
            "SQLite: run one worker only, beside `serve` with MADOGUCHI_BACKGROUND_WORKERS=false "
            "(PostgreSQL for more)"
        )
    metrics.watch_queues(parts.store)
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr=metrics_host)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    background = Background(parts, settings, scheduled=True)
    await background.start()
    log.info("worker %s started", parts.inbox.owner)
    print(f"worker {parts.inbox.owner} started", flush=True)
    await stop.wait()
    log.info("worker %s stopping: finishing turns, handing back the rest", parts.inbox.owner)
    await background.stop()
    print(f"worker {parts.inbox.owner} stopped", flush=True)
    return 0
