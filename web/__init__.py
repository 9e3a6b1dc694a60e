"""Server-rendered pages: the recipient's share page and the sender's pages.

Pages are Jinja2 templates with autoescaping on, rendered from the same handler
data the JSON API returns. Each page module exposes `routes(dependencies)`;
`routes()` below gathers them for the app factory."""

from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from billing.money import format_amount

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters["money"] = format_amount


def routes(dependencies: dict) -> list[BaseRoute]:
    page_modules = []  # each page module adds itself here
    return [
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        *(route for module in page_modules for route in module.routes(dependencies)),
    ]
