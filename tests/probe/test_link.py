"""I-LINK measured by visiting a real HTTP server on 127.0.0.1 (fixtures/link_server.py):
one verdict per kind of page, the bad inputs (non-http URLs, a 50 MB page, a redirect loop,
a server that never answers), the private-address refusal, visitors that differ, and how
evaluate words each verdict (fail, check by hand, not checked: never a pass)."""

from __future__ import annotations

import pytest
from link_server import BIG, serve

from mediacheck.evaluate import evaluate
from mediacheck.model import FAIL, PASS, WARN
from mediacheck.probe.link import FACTS, NAME, LinkOptions, options_from_profile, probe, probe_all
from mediacheck.profile import load_profile

PROFILE = load_profile()
LIMIT = 2.0  # s per visit: the slow page is cut off here (a bound, not a timed assertion)


@pytest.fixture(scope="module")
def site():
    with serve() as server:
        yield server


def opts(**changes) -> LinkOptions:
    base = {"online": True, "allow_private": True, "per_link": LIMIT, "total": 60.0,
            "browser": None}  # fmt: skip
    return options_from_profile(PROFILE, **{**base, **changes})


def reason(facts, suffix: str = "") -> str:
    fact = facts.get("link.reason" + suffix)
    return fact.value.removeprefix("link:") if fact else "missing:" + facts.missing.get(
        "link.reason" + suffix, "?")  # fmt: skip


# every kind of page, with the verdict's reason code ("missing:" = not decided: by hand)
PAGES = [
    ("/open", "open"),
    ("/401", "http_401"),
    ("/407", "http_407"),
    ("/403", "missing:http_403"),
    ("/login-redirect", "login_redirect"),
    ("/cas", "login_redirect"),
    ("/password", "password_form"),
    ("/login-words", "login_words"),
    ("/wechat-oauth", "wechat_oauth"),
    ("/wechat-only", "wechat_only"),
    ("/meta-login", "meta_login"),
    ("/meta-open", "open"),
    ("/app.apk", "download_apk"),
    ("/attachment", "download"),
    ("/404", "http_404"),
    ("/410", "http_410"),
    ("/500", "http_5xx"),
    ("/loop-a", "redirect_loop"),
    ("/hop", "open"),
    ("/empty", "missing:unjudgeable"),
    ("/doc.pdf", "missing:not_html"),
    ("/spa-open", "missing:no_browser"),  # a shell, and no browser in these tests
]


@pytest.fixture(scope="module")
def visited(site):
    """All pages in one run (threads, one at a time per host), as `probe_all` is used."""
    return probe_all([site.url(p) for p, _ in PAGES], opts())


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[p for p, _ in PAGES])
def test_each_page_gets_its_verdict(site, visited, path, expected):
    facts = visited[site.url(path)]
    assert facts.kind == NAME
    assert reason(facts) == expected
    assert set(facts.values) <= set(FACTS) and set(facts.missing) <= set(FACTS)


def test_every_location_is_recorded(site, visited):
    hop = visited[site.url("/hop")]
    assert hop.get("link.redirects").value == ["/hop2", "/open"]
    assert hop.get("link.final_url").value == site.url("/open")
    login = visited[site.url("/login-redirect")]
    assert login.get("link.evidence").value == site.url("/sso/login?redirect=%2Fcourse%2F7")


def test_login_and_wechat_addresses_are_never_requested(site, visited):
    # the SSO page behind /login-redirect, and WeChat's host, are judged from the Location
    assert site.hits["/sso/login"] == 0


def test_non_http_urls_fail_without_a_request(site):
    before = site.total_hits
    found = probe_all(["weixin://dl/business/?t=abc", "javascript:alert(1)", "www.example.org"],
                      opts())  # fmt: skip
    assert {u: reason(f) for u, f in found.items()} == {
        "weixin://dl/business/?t=abc": "not_http",
        "javascript:alert(1)": "not_http",
        "www.example.org": "not_http",
    }
    assert site.total_hits == before
    # the same without --online: plainly no web address, so a failure even unvisited
    assert reason(probe("weixin://dl/business/", opts(online=False))) == "not_http"


def test_private_address_fails_without_a_request(site):
    before = site.total_hits
    for url in (site.url("/open"), "http://localhost:1/", "http://[::1]:1/", "http://10.1.2.3/"):
        facts = probe(url, opts(allow_private=False))
        assert reason(facts) == "private_address", url
    assert site.total_hits == before
    assert reason(probe(site.url("/open"), opts(allow_private=True))) == "open"


def test_a_name_that_does_not_resolve_is_a_dns_error():
    facts = probe("http://sim.example.invalid/", opts(allow_private=False))
    assert reason(facts) == "dns_error"  # .invalid never resolves


def test_a_redirect_to_a_private_address_fails(site, monkeypatch):
    """Every hop's host is checked, not only the first. Here only 10.0.0.0/8 counts as
    private, so the local server can play a public site that redirects into an intranet."""
    import ipaddress

    from mediacheck.probe import link

    intranet = ipaddress.ip_network("10.0.0.0/8")
    monkeypatch.setattr(link, "_is_private", lambda ip: ip in intranet)
    facts = probe(site.url("/to-private"), opts(allow_private=False))
    assert reason(facts) == "private_address"
    assert facts.get("link.evidence").value == "10.255.255.1 → 10.255.255.1"
    assert facts.get("link.redirects").value == ["http://10.255.255.1/sim"]


def test_a_50_mb_page_is_not_read_whole(site):
    cap = 256 * 1024
    facts = probe(site.url("/big"), opts(max_body=cap))
    assert reason(facts) == "open"  # judged on its start
    assert facts.get("link.body_truncated").value is True
    assert facts.get("link.bytes_read").value < cap + 128 * 1024
    assert facts.get("link.bytes_read").value < BIG / 50


def test_gzip_pages_are_read_and_a_gzip_bomb_is_capped(site):
    assert reason(probe(site.url("/gzip"), opts())) == "open"
    cap = 256 * 1024
    facts = probe(site.url("/gzip-bomb"), opts(max_body=cap))
    assert facts.get("link.body_truncated").value is True  # inflated only up to the cap
    assert facts.get("link.bytes_read").value < 1024 * 1024  # compressed bytes read


def test_a_self_signed_certificate_is_a_tls_error():
    with serve(tls=True) as secure:
        facts = probe(secure.url("/open"), opts())
    assert reason(facts) == "tls_error"
    assert "CERTIFICATE" in facts.get("link.evidence").value.upper()


def test_a_server_that_never_answers_is_cut_off(site):
    facts = probe(site.url("/slow"), opts())
    assert reason(facts) == "timeout"
    assert facts.get("link.elapsed").value < LIMIT * 3  # bounded, not a benchmark
    assert "reason_phone" not in str(facts.values)  # no second visitor for a dead server


def test_the_whole_run_has_a_time_limit(site):
    urls = [site.url("/slow"), site.url("/open"), site.url("/404")]
    found = probe_all(urls, opts(per_link=30, total=1.0))
    # the slow page used up the run; the others (same host, one at a time) were not visited
    assert reason(found[urls[0]]) == "timeout"
    assert {reason(found[u]) for u in urls[1:]} == {"missing:run_time_limit"}


def test_visitors_that_differ_get_their_own_verdict(site):
    facts = probe(site.url("/wechat-ua"), opts())
    assert reason(facts) == "open"
    assert reason(facts, "_wechat") == "wechat_oauth"
    assert facts.missing["link.reason_phone"] == "not_requested"  # same as desktop: no row


def test_offline_every_link_is_not_checked(site):
    before = site.total_hits
    facts = probe(site.url("/401"), opts(online=False))
    assert reason(facts) == "missing:offline"
    assert site.total_hits == before


def test_unreachable_port_is_a_connection_error():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert reason(probe(f"http://127.0.0.1:{port}/", opts())) == "connect_error"


def _findings(facts):
    return {f.rule_id: f for f in evaluate(facts, PROFILE).findings}


def test_evaluate_words_each_status(site, visited):
    ok = _findings(visited[site.url("/open")])
    assert ok["I-LINK"].status == PASS
    assert set(ok) == {"I-LINK"}  # phone and WeChat agree: no rows of their own

    login = _findings(visited[site.url("/login-redirect")])["I-LINK"]
    assert login.status == FAIL
    assert login.measured_text["zh"] == "跳转到登录页"
    assert "/sso/login?redirect=" in login.message["en"]
    assert "需技术支持" in login.hint["zh"]

    by_hand = _findings(visited[site.url("/403")])["I-LINK"]
    assert by_hand.status == WARN  # never a pass
    assert "需人工检查" in by_hand.measured_text["zh"]
    assert "HTTP 403" in by_hand.message["en"]

    offline = _findings(probe(site.url("/open"), opts(online=False)))["I-LINK"]
    assert offline.status == WARN
    assert offline.measured_text["zh"] == "未检查（未联网访问）"
    assert offline.measured_text["en"] == "not checked (not visited)"
    assert "--online" in offline.hint["en"] and "--online" in offline.hint["zh"]

    differs = _findings(probe(site.url("/wechat-ua"), opts()))
    assert differs["I-LINK"].status == PASS and differs["I-LINK-WECHAT"].status == FAIL
    assert "I-LINK-PHONE" not in differs
