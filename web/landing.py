"""The landing page: what JupiterInvoice is, and the way in."""

from starlette.routing import Route

from web.pages import Visit, page, render


def routes(dependencies: dict) -> list[Route]:
    public_url = dependencies["public_url"]

    @page(dependencies)
    def landing(visit: Visit):
        return render(visit, "landing.html", {"public_url": public_url})

    return [Route("/", landing, methods=["GET"])]
