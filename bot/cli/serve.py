"""`madoguchi serve`: the HTTP side (webhooks, web chat, staff console, /metrics), and with
MADOGUCHI_BACKGROUND_WORKERS (the default) the workers too, in one process."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from bot.settings import Settings


def register(groups: Any) -> None:
    """Add the serve command."""
    serve = groups.add_parser("serve", help="run the server: webhooks, web chat, workers")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-For/-Proto from any address (only behind the reverse proxy)",
    )
    serve.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bot import logs
    from bot.server import create_app, server_config

    settings = Settings()
    settings.warn_if_insecure(logging.getLogger("madoguchi.server"))
    app = create_app(settings)
    platforms = sorted(app.state.parts.knowledge.platforms)
    for platform in platforms:
        print(f"web chat: http://{args.host}:{args.port}/chat/{platform}", flush=True)
    role = "web and workers" if settings.background_workers else "web only (workers run apart)"
    print(f"role: {role}", flush=True)
    options: dict[str, Any] = {"log_level": "info"}
    if settings.log_format == "json":
        options["log_config"] = None  # uvicorn's records go to the root's JSON handler
        logging.getLogger("uvicorn").setLevel(logging.INFO)
    if args.proxy_headers:
        options.update(proxy_headers=True, forwarded_allow_ips="*")
    config = server_config(app, host=args.host, port=args.port, **options)
    logs.install(settings.secrets())  # again: uvicorn's own handlers exist from here on
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 3  # 3: uvicorn's exit status for a failed start
