"""Server-rendered pages: the recipient's share page and the sender's pages.

Pages are Jinja2 templates with autoescaping on, rendered from the same handler
data the JSON API returns. Each page module exposes `routes(dependencies)`;
`routes()` below gathers them for the app factory."""

from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from billing import labels
from billing.money import format_amount

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.auto_reload = False  # they ship with the code: no stat of each template at each render


def when(timestamp: str) -> str:
    """'2026-05-01T12:00:00Z' → '2026-05-01 12:00 UTC': readable, and still plainly UTC."""
    return f"{timestamp[:10]} {timestamp[11:16]} UTC"


templates.env.filters["money"] = format_amount
templates.env.filters["when"] = when
templates.env.filters["plain"] = labels.plain
templates.env.filters["number"] = labels.format_number
templates.env.filters["discount_label"] = labels.discount_label
templates.env.filters["tax_label"] = labels.tax_label
templates.env.filters["tax_group_label"] = labels.tax_group_label
templates.env.filters["address_lines"] = labels.address_lines
templates.env.filters["contact_line"] = labels.contact_line


def routes(dependencies: dict) -> list[BaseRoute]:
    from web import (  # they import `templates` here
        account,
        dashboard,
        docs,
        integrations,
        landing,
        password_reset,
        profile,
        security,
        share,
        verification,
    )

    # The recipient's share page first: it is the page most asked for.
    page_modules = [share, landing, account, security, verification, password_reset, integrations, dashboard,
                    profile, docs]
    return [
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        *(route for module in page_modules for route in module.routes(dependencies)),
    ]
