"""Script-built pages in a real headless Chromium (Playwright driving the system's browser),
served by the test server on 127.0.0.1. Skipped only where no Chromium is installed (CI
installs Debian's `chromium`)."""

from __future__ import annotations

import io

import pytest
from link_server import serve

from mediacheck.probe.link import options_from_profile, probe_all
from mediacheck.probe.link_browser import SCREENSHOT_WIDTH, find_browser
from mediacheck.profile import load_profile

BROWSER = find_browser("auto")
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium (Debian: apt-get install chromium) or no playwright"
)
PROFILE = load_profile()


@pytest.fixture(scope="module")
def rendered():
    with serve() as site:
        paths = ["/spa-open", "/spa-login", "/spa-api-401", "/open"]
        options = options_from_profile(PROFILE, online=True, allow_private=True,
                                       per_link=20.0, total=120.0, browser=BROWSER)  # fmt: skip
        found = probe_all([site.url(p) for p in paths], options)
        yield {p: found[site.url(p)] for p in paths}, site


def value(facts, name):
    fact = facts.get(name)
    return fact.value if fact else "missing:" + facts.missing.get(name, "?")


def test_script_rendered_open_page_passes_with_a_screenshot(rendered):
    found, _ = rendered
    facts = found["/spa-open"]
    assert value(facts, "link.reason") == "link:open"
    assert value(facts, "link.rendered") is True
    png = value(facts, "link.screenshot")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.width <= SCREENSHOT_WIDTH  # downscaled for the report


def test_script_redirect_to_login_after_an_api_401_fails(rendered):
    found, site = rendered
    facts = found["/spa-login"]
    assert value(facts, "link.reason") == "link:script_login"
    evidence = value(facts, "link.evidence")
    assert "/sso/login?redirect=" in evidence and "HTTP 401" in evidence
    assert site.hits["/api/me"] >= 1  # the browser really ran the page's script


def test_an_api_401_alone_fails(rendered):
    found, _ = rendered
    facts = found["/spa-api-401"]
    assert value(facts, "link.reason") == "link:api_401"
    assert "/api/me" in value(facts, "link.evidence")


def test_static_pages_do_not_start_the_browser(rendered):
    found, _ = rendered
    assert value(found["/open"], "link.rendered") is False
