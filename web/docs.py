"""/docs: the API reference, drawn in the browser by Swagger UI 5 from the 3.1
spec this server serves at /api/openapi.json. Everything it loads is ours
(web/static/docs/, vendored), and the page's Content-Security-Policy lets it
load nothing from elsewhere."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web import templates
from web.pages import SECURITY_HEADERS

# The sender pages' policy; the page holds no account data, so it may be cached.
DOCS_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}


async def docs(request: Request) -> Response:
    return templates.TemplateResponse(request, "docs.html", {}, headers=DOCS_HEADERS)


def routes(dependencies: dict) -> list[Route]:
    return [Route("/docs", docs, methods=["GET"])]
