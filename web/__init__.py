"""Server-rendered pages: the recipient's share page and the sender's pages.

Pages are Jinja2 templates with autoescaping on, rendered from the same handler
data the JSON API returns. Each page module exposes `routes(dependencies)`;
`routes()` below gathers them for the app factory."""

import json
from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from billing.money import format_amount

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


def when(timestamp: str) -> str:
    """'2026-05-01T12:00:00Z' → '2026-05-01 12:00 UTC': readable, and still plainly UTC."""
    return f"{timestamp[:10]} {timestamp[11:16]} UTC"


def plain(value) -> str:
    """A value of a change as short text: '—' for nothing, compact JSON for structures."""
    if value is None or value == "":
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return str(value)


templates.env.filters["money"] = format_amount
templates.env.filters["when"] = when
templates.env.filters["plain"] = plain


def routes(dependencies: dict) -> list[BaseRoute]:
    from web import account, dashboard, integrations, landing  # they import `templates` from here

    page_modules = [landing, account, integrations, dashboard]
    return [
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        *(route for module in page_modules for route in module.routes(dependencies)),
    ]
