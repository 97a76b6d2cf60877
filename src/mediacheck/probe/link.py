"""The link kind (I-LINK): does an interactive course's URL open directly, with no login?

Measured by visiting, only when asked (`LinkOptions(online=True)`); otherwise every link
is *not checked* (`link.reason` missing with reason "offline", which evaluate shows as a
warning, never a pass). A URL that is not http(s) fails without any request.

A visit follows redirects hop by hop (httpx), so every `Location` is seen and recorded and
a login, SSO, CAS, OAuth or WeChat address is caught before it is requested; each hop's
host is resolved and a loopback or private address fails (no learner can reach it) unless
`allow_private`. The body is read up to a cap, never whole. A page that is an empty shell
filled by script is opened in a headless browser (probe/link_browser.py); without one it is
"check by hand". Desktop, phone and WeChat visitors each get a verdict; the phone's and
WeChat's are facts only where they differ from the desktop's.

Links run in threads (the work is waiting on the network), one at a time per host, with a
time limit per visit of a link and one for the whole run.
"""

from __future__ import annotations

import functools
import ipaddress
import queue
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from mediacheck.model import MEASURED, Facts
from mediacheck.probe.link_browser import Agent, Browser, Rendered, find_browser
from mediacheck.probe.link_facts import FACTS  # noqa: F401  (the kind's declaration)
from mediacheck.probe.link_page import LinkPatterns, Page, decode_html, page_signal, read_page
from mediacheck.words.links import ADVICE

NAME = "link"
FORMATS: tuple[str, ...] = ()  # links are URLs from a course list, never sniffed files

AGENTS: dict[str, Agent] = {
    "desktop": Agent(
        "desktop",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        1280, 800, False,
    ),
    "phone": Agent(
        "phone",
        "Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/116.0.0.0 Mobile Safari/537.36",
        390, 844, True,
    ),
    "wechat": Agent(
        "wechat",
        "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
        "MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin "
        "NetType/WIFI Language/zh_CN ABI/arm64",
        390, 844, True,
    ),
}  # fmt: skip

# Verdicts that decide nothing: the fact stays missing with this reason ("check by hand").
UNDECIDED = frozenset({"http_403", "http_other", "not_html", "unjudgeable", "no_browser",
                       "browser_failed", "run_time_limit", "offline"})  # fmt: skip
# Verdicts reached before any HTTP answer: the visitor does not matter, visit once.
_BEFORE_HTTP = frozenset({"not_http", "bad_url", "private_address", "dns_error", "tls_error",
                          "connect_error", "timeout"})  # fmt: skip
_DOWNLOAD_TYPES = frozenset({
    "application/octet-stream", "application/zip", "application/x-zip-compressed",
    "application/x-rar-compressed", "application/vnd.rar", "application/x-7z-compressed",
    "application/x-msdownload", "application/x-msi", "application/x-apple-diskimage",
})  # fmt: skip
_APK_TYPE = "application/vnd.android.package-archive"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
GRACE = 5.0  # s past the run's limit to wait for a visit's own deadline to stop it


@dataclass(frozen=True)
class LinkOptions:
    online: bool = False  # visit at all; without it every link is "not checked"
    allow_private: bool = False  # loopback / private addresses (tests, intranets)
    per_link: float = 20.0  # s for one visit of a link (each visitor; starting Chromium aside)
    total: float = 300.0  # s for the whole run
    max_body: int = 2 * 1024 * 1024  # bytes of a page read (after decompression)
    max_hops: int = 10
    threads: int = 4
    agents: tuple[str, ...] = ("desktop", "phone", "wechat")
    browser: str | None = "auto"  # a Chromium executable, "auto" (find one) or None (never)
    patterns: LinkPatterns = field(default_factory=LinkPatterns)


def options_from_profile(profile: Any, **options: Any) -> LinkOptions:
    """Options with the profile's login patterns (its `links:` section)."""
    return LinkOptions(patterns=LinkPatterns.from_section(profile.links), **options)


@dataclass
class Visit:
    agent: str
    reason: str = ""
    evidence: str = ""
    status: int | None = None
    final_url: str = ""
    redirects: list[str] = field(default_factory=list)
    content_type: str = ""
    bytes_read: int = 0
    truncated: bool = False
    rendered: bool = False
    screenshot: bytes | None = None
    elapsed: float = 0.0


@functools.lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """One verifying TLS context for the run: building one costs ~30 ms, per visit."""
    import httpx

    return httpx.create_ssl_context()


class _Deadline(Exception):
    """The link's time is up while reading a body."""


def _is_private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(ip, "ipv4_mapped", None)
    return not (mapped or ip).is_global


def _address_problem(url: str, opts: LinkOptions, resolve: bool) -> tuple[str, str] | None:
    """Why `url` cannot be a learner's link before anything is requested, or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "not_http", (parts.scheme + ":") if parts.scheme else url[:80]
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return "bad_url", url[:200]
    if not host:
        return "bad_url", url[:200]
    host = host.split("%")[0]
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            addresses = [ipaddress.ip_address("127.0.0.1")]
        elif not resolve:
            return None
        else:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError, OSError) as exc:
                return "dns_error", f"{host}: {exc}"
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not opts.allow_private:
        for ip in addresses:
            if _is_private(ip):
                return "private_address", f"{host} → {ip}"
    return None


def _transport_reason(exc: BaseException) -> tuple[str, str]:
    import httpx

    if isinstance(exc, (httpx.TimeoutException, _Deadline)):
        return "timeout", ""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if any(isinstance(e, ssl.SSLError) for e in chain) or "CERTIFICATE" in text or "SSL" in text:
        return "tls_error", text
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "dns_error", text
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return "bad_url", text
    return "connect_error", text


def _read(response: Any, cap: int, deadline: float) -> tuple[bytes, bool, int]:
    """At most `cap` bytes of the body (decompressed here, bounded, so a gzip bomb cannot
    swell in memory); returns (body, truncated, raw bytes read)."""
    encoding = response.headers.get("content-encoding", "").lower().strip()
    inflate = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
    out = bytearray()
    raw = 0
    for chunk in response.iter_raw(65536):
        raw += len(chunk)
        try:
            out += inflate.decompress(chunk, cap + 1 - len(out)) if inflate else chunk
        except zlib.error:
            break
        if len(out) > cap:
            return bytes(out[:cap]), True, raw
        if time.monotonic() > deadline:
            raise _Deadline
    return bytes(out), False, raw


def _header_verdict(response: Any, url: str) -> tuple[str, str] | None:
    status = response.status_code
    if status == 401:
        scheme = response.headers.get("www-authenticate", "").split(" ")[0]
        return "http_401", f"HTTP 401 {scheme}".strip()
    if status == 407:
        return "http_407", "HTTP 407"
    if status in (404, 410):
        return f"http_{status}", f"HTTP {status}"
    if status == 403:
        return "http_403", "HTTP 403"
    if status >= 500:
        return "http_5xx", f"HTTP {status}"
    if not 200 <= status < 300:
        return "http_other", f"HTTP {status}"
    disposition = response.headers.get("content-disposition", "")
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    path = urlsplit(url).path.lower()
    apk = ctype == _APK_TYPE or path.endswith(".apk") or ".apk" in disposition.lower()
    if apk:
        return "download_apk", disposition or ctype or path
    if "attachment" in disposition.lower():
        return "download", disposition
    if ctype in _DOWNLOAD_TYPES:
        return "download", ctype
    if ctype and ctype not in _HTML_TYPES:
        return "not_html", ctype
    return None


def _visit(url: str, agent: Agent, opts: LinkOptions, deadline: float,
           browser: Browser | None) -> Visit:  # fmt: skip
    import httpx

    start = time.monotonic()
    visit = Visit(agent.name, final_url=url)
    current, seen = url, {url.split("#")[0]}
    headers = {
        "User-Agent": agent.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    patterns = opts.patterns

    def done(reason: str, evidence: str = "") -> Visit:
        visit.reason, visit.evidence = reason, evidence
        visit.elapsed = time.monotonic() - start
        return visit

    with httpx.Client(headers=headers, trust_env=False, follow_redirects=False,
                      verify=_tls()) as client:  # fmt: skip
        for _ in range(opts.max_hops + 1):
            problem = _address_problem(current, opts, resolve=True)
            if problem:
                return done(*problem)
            left = deadline - time.monotonic()
            if left <= 0:
                return done("timeout", f"{opts.per_link:g} s")
            target = None
            try:
                with client.stream("GET", current, timeout=httpx.Timeout(left)) as response:
                    visit.status, visit.final_url = response.status_code, current
                    visit.content_type = response.headers.get("content-type", "")
                    location = response.headers.get("location")
                    if response.is_redirect and location:
                        visit.redirects.append(location)
                        target = urljoin(current, location.strip())
                        if patterns.wechat_oauth(location) or patterns.wechat_oauth(target):
                            return done("wechat_oauth", target)
                        if patterns.login_url(target):
                            return done("login_redirect", target)
                    else:
                        verdict = _header_verdict(response, current)
                        if verdict:
                            return done(*verdict)
                        body, visit.truncated, visit.bytes_read = _read(
                            response, opts.max_body, deadline
                        )
            except Exception as exc:  # noqa: BLE001 (every transport failure is a verdict)
                reason, evidence = _transport_reason(exc)
                return done(reason, evidence or f"{opts.per_link:g} s")
            if target is None:
                page = read_page(decode_html(body, visit.content_type))
                refresh = urljoin(current, page.refresh) if page.refresh else None
                if refresh and refresh.split("#")[0] != current.split("#")[0]:
                    if patterns.wechat_oauth(refresh):
                        return done("wechat_oauth", refresh)
                    if patterns.login_url(refresh, need_return=False):
                        return done("meta_login", refresh)
                    visit.redirects.append(refresh)
                    target = refresh
                else:
                    signal = page_signal(page, patterns)
                    if signal:
                        return done(*signal)
                    if page.shell:
                        return _render(visit, done, browser, agent, deadline, patterns)
                    if page.visible == 0 and page.media == 0:
                        return done("unjudgeable", current)
                    return done("open", current)
            key = target.split("#")[0]
            if key in seen:
                return done("redirect_loop", target)
            seen.add(key)
            current = target
    return done("too_many_redirects", f"{opts.max_hops}")


def _render(visit: Visit, done: Any, browser: Browser | None, agent: Agent, deadline: float,
            patterns: LinkPatterns) -> Visit:  # fmt: skip
    if browser is None:
        return done("no_browser", visit.final_url)
    shown: Rendered = browser.render(visit.final_url, agent, deadline)
    visit.rendered = True
    visit.screenshot = shown.screenshot
    for nav in [*shown.navigations[1:], shown.final_url]:
        if patterns.wechat_oauth(nav):
            return done("wechat_oauth", nav)
        if patterns.login_url(nav):
            refused = next((u for u, s in shown.statuses if s in (401, 407)), None)
            after = f" (HTTP 401: {refused})" if refused else ""
            return done("script_login", nav + after)
    visit.final_url = shown.final_url or visit.final_url
    refused = next((f"{u} → HTTP {s}" for u, s in shown.statuses if s in (401, 407)), None)
    if refused:
        return done("api_401", refused)
    if shown.timed_out and not shown.text:
        return done("timeout", "browser")
    if shown.error and not shown.text:
        return done("browser_failed", shown.error)
    page = Page(title=shown.title, text=shown.text, password=shown.password)
    signal = page_signal(page, patterns)
    if signal:
        return done(*signal)
    if page.visible == 0 and shown.media == 0:
        return done("unjudgeable", visit.final_url)
    return done("open", visit.final_url)


def _verdict(facts: Facts, suffix: str, visit: Visit) -> None:
    name = "link.reason" + suffix
    if visit.reason in UNDECIDED:
        facts.absent(name, visit.reason)
    else:
        facts.set(name, "link:" + visit.reason, source=MEASURED)
        facts.set("link.advice" + suffix, "advice:" + ADVICE.get(visit.reason, "open"))
    facts.set("link.evidence" + suffix, visit.evidence or "—", source=MEASURED)


def _facts(url: str, visits: dict[str, Visit], first: str) -> Facts:
    facts = Facts(path=Path(url), kind=NAME)
    facts.set("link.url", url, source=MEASURED)
    lead = visits[first]
    _verdict(facts, "", lead)
    for agent in ("phone", "wechat"):
        visit = visits.get(agent)
        if agent == first:
            continue
        if visit is None or visit.reason == lead.reason:
            for name in ("reason", "evidence", "advice"):
                facts.absent(f"link.{name}_{agent}", "not_requested")
        else:
            _verdict(facts, "_" + agent, visit)
    facts.set("link.status", lead.status, source=MEASURED)
    facts.set("link.final_url", lead.final_url or url, source=MEASURED)
    facts.set("link.redirects", list(lead.redirects), source=MEASURED)
    facts.set("link.hops", len(lead.redirects), "", MEASURED)
    facts.set("link.content_type", lead.content_type or "—", source=MEASURED)
    facts.set("link.bytes_read", lead.bytes_read, "bytes", MEASURED)
    facts.set("link.body_truncated", lead.truncated, source=MEASURED)
    facts.set("link.rendered", any(v.rendered for v in visits.values()), source=MEASURED)
    facts.set("link.elapsed", round(sum(v.elapsed for v in visits.values()), 3), "s", MEASURED)
    shot = next((v.screenshot for v in visits.values() if v.screenshot), None)
    facts.set("link.screenshot", shot, "image/png", MEASURED)
    return facts


def _offline(url: str, opts: LinkOptions, reason: str = "offline") -> Facts:
    """Without visiting: a URL that is plainly no web address, or a literal private address,
    still fails; everything else is not checked."""
    problem = _address_problem(url, opts, resolve=False)
    visit = Visit(opts.agents[0] if opts.agents else "desktop", final_url=url)
    visit.reason, visit.evidence = problem or (reason, "")
    return _facts(url, {visit.agent: visit}, visit.agent)


def _probe_one(url: str, opts: LinkOptions, end: float, browser: Browser | None) -> Facts:
    """Every visitor in turn, each with the per-link limit (within the run's `end`): a
    server that hangs is met once, since an answerless link is not visited again."""
    agents = [a for a in opts.agents if a in AGENTS] or ["desktop"]

    def one(agent: str) -> Visit:
        return _visit(url, AGENTS[agent], opts, min(time.monotonic() + opts.per_link, end),
                      browser)  # fmt: skip

    visits = {agents[0]: one(agents[0])}
    if visits[agents[0]].reason not in _BEFORE_HTTP:  # a server may answer visitors differently
        for agent in agents[1:]:
            visits[agent] = one(agent)
    return _facts(url, visits, agents[0])


def probe(url: str, options: LinkOptions | None = None) -> Facts:
    return probe_all([url], options)[url.strip()]


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def probe_all(urls: Iterable[str], options: LinkOptions | None = None) -> dict[str, Facts]:
    """Facts for every URL (stripped), keyed by it. Never raises for a link; returns by the
    run's time limit (plus a few seconds' grace) even when a server never answers."""
    opts = options or LinkOptions()
    wanted = list(dict.fromkeys(u.strip() for u in urls))
    if not opts.online:
        return {u: _offline(u, opts) for u in wanted}
    results: dict[str, Facts] = {}
    late: list[str] = []
    for url in wanted:  # decided without a request: no thread, no time limit
        if _address_problem(url, opts, resolve=False):
            results[url] = _offline(url, opts)
        else:
            late.append(url)
    groups: dict[str, list[str]] = {}
    for url in late:
        groups.setdefault(_host(url), []).append(url)
    end = time.monotonic() + opts.total
    executable = find_browser(opts.browser)
    blocked = None if opts.allow_private else _blocked_host(opts)
    browser = Browser(executable, blocked, end) if executable else None
    work: queue.Queue[list[str]] = queue.Queue()
    for group in groups.values():
        work.put(group)
    lock = threading.Lock()
    started: set[str] = set()

    def worker() -> None:
        while True:
            try:
                group = work.get_nowait()
            except queue.Empty:
                return
            for url in group:
                now = time.monotonic()
                if now >= end:
                    facts = _offline(url, opts, "run_time_limit")
                else:
                    with lock:
                        started.add(url)
                    try:
                        facts = _probe_one(url, opts, end, browser)
                    except Exception as exc:  # noqa: BLE001 (one link never stops the run)
                        facts = _offline(url, opts, "unjudgeable")
                        facts.set("link.evidence", f"{type(exc).__name__}: {exc}"[:200])
                with lock:
                    results[url] = facts

    threads = [threading.Thread(target=worker, daemon=True, name="link")
               for _ in range(max(1, min(opts.threads, len(groups))))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, end + GRACE - time.monotonic()))
    if browser is not None:
        browser.close()
    with lock:
        for url in wanted:
            if url not in results:  # its worker is stuck (e.g. in the resolver)
                visit = Visit("desktop", final_url=url)
                if url in started:
                    visit.reason, visit.evidence = "timeout", f"{opts.per_link:g} s"
                else:
                    visit.reason = "run_time_limit"
                results[url] = _facts(url, {"desktop": visit}, "desktop")
        return {u: results[u] for u in wanted}


def _blocked_host(opts: LinkOptions) -> Any:
    cache: dict[str, bool] = {}

    def blocked(host: str) -> bool:
        if host not in cache:
            problem = _address_problem(f"http://{host}/", opts, resolve=True)
            cache[host] = bool(problem and problem[0] == "private_address")
        return cache[host]

    return blocked
