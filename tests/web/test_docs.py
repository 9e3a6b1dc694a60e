"""/docs: the API reference, drawn from the served spec with our own files only."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from app import spec

ASSET_TAGS = {("script", "src"), ("link", "href"), ("img", "src")}


class References(HTMLParser):
    """Every URL a page names, and which of them the browser loads by itself."""

    def __init__(self):
        super().__init__()
        self.urls, self.loaded, self.inline_scripts = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action", "srcset", "poster", "data"):
            if attrs.get(name):
                self.urls.append(attrs[name])
                if (tag, name) in ASSET_TAGS:
                    self.loaded.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1


def is_ours(url: str) -> bool:
    """A path on this site: no scheme, no host, not protocol-relative."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and url.startswith("/")


def references(text: str) -> References:
    parser = References()
    parser.feed(text)
    return parser


def test_docs_is_a_page_that_names_only_this_site(anonymous):
    response = anonymous.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    found = references(response.text)
    assert found.loaded, "the page loads Swagger UI's script and stylesheet"
    assert [url for url in found.urls if not is_ours(url)] == []
    assert found.inline_scripts == 0, "the CSP allows no inline script"
    assert not re.search(r"(?i)\b(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", response.text)


def test_its_policy_allows_nothing_from_elsewhere(anonymous):
    policy = anonymous.get("/docs").headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    sources = " ".join(directives.values()).split()
    assert set(sources) <= {"'self'", "'none'", "data:"}, policy
    assert "script-src" not in directives, "scripts fall back to default-src 'self'"


def test_every_asset_it_loads_is_served_here_and_names_nothing_else(anonymous):
    for url in references(anonymous.get("/docs").text).loaded:
        asset = anonymous.get(url)
        assert asset.status_code == 200, url
        if url.endswith(".css"):
            for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", asset.text):
                assert target.startswith("data:") or is_ours(target) or not urlsplit(target).scheme, (url, target)
            assert "@import" not in asset.text, url


def test_the_reference_is_drawn_from_the_served_spec_without_the_outside_validator(anonymous):
    script = anonymous.get("/static/docs/docs.js").text
    assert re.search(r'url:\s*"/api/openapi\.json"', script)
    assert re.search(r"validatorUrl:\s*null", script), "the validator badge would send the spec elsewhere"
    served = anonymous.get("/api/openapi.json").json()
    assert served["openapi"].startswith("3.1") and served == spec.load()
    bundle = anonymous.get("/static/docs/swagger-ui-bundle.js").text
    bundle_version = re.search(r'PACKAGE_VERSION:"(5\.\d+\.\d+)"', bundle)
    assert bundle_version, "Swagger UI 5 renders OpenAPI 3.1 (4.x, connexion's own, cannot)"
    assert anonymous.get("/static/docs/LICENSE").status_code == 200


def test_the_landing_and_integrations_pages_link_to_it(signed_in):
    assert 'href="/docs"' in signed_in.get("/").text
    integrations = signed_in.get("/integrations").text
    rest = integrations[integrations.index("<h3>REST</h3>"):]
    assert 'href="/docs"' in rest
    assert signed_in.get("/docs").status_code == 200
