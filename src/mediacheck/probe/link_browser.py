"""Pages built by script, opened in a real headless browser: Playwright (the optional extra
`mediacheck[links]`) driving the system's Chromium (Debian's `chromium`; `playwright install`
is never needed). The browser sees what an HTTP client cannot: script redirects, the API
calls a page makes and their 401s, the text the script writes, and what the page looks like.

One Chromium serves a whole run from its own thread (Playwright's sync API belongs to the
thread that started it); `render` may be called from any thread and never waits past its
deadline.
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
START_LIMIT = 30.0  # s for Chromium to start (once per run)
SETTLE_MS = 5000  # longest wait for the network to go quiet after the load event
SCREENSHOT_WIDTH = 360  # px: enough to recognise a login page in a report
TEXT_CAP = 20000  # characters of the page's text read back


@dataclass(frozen=True)
class Agent:
    """One kind of visitor: a desktop browser, a phone, WeChat's built-in browser."""

    name: str
    user_agent: str
    width: int
    height: int
    mobile: bool


@dataclass
class Rendered:
    final_url: str = ""
    navigations: list[str] = field(default_factory=list)  # main-frame requests, in order
    statuses: list[tuple[str, int]] = field(default_factory=list)  # every response
    title: str = ""
    text: str = ""
    password: bool = False
    media: int = 0
    screenshot: bytes | None = None
    error: str | None = None  # the browser could not open the page
    timed_out: bool = False


def find_browser(path: str | None = "auto") -> str | None:
    """The Chromium to drive, or None: Playwright not installed, or no browser found.
    `path` is an executable, "auto" (search PATH) or None (never use a browser)."""
    if path is None:
        return None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None
    if path != "auto":
        return path if os.access(path, os.X_OK) else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


_PAGE_JS = """() => {
  const body = document.body;
  return {
    title: document.title || "",
    text: body ? (body.innerText || "").slice(0, TEXT_CAP) : "",
    password: !!document.querySelector('input[type="password"]'),
    media: document.querySelectorAll('canvas, video, iframe, embed, object, svg').length,
  };
}""".replace("TEXT_CAP", str(TEXT_CAP))


@dataclass
class _Job:
    url: str
    agent: Agent
    budget: float  # seconds for this page, counted from when the browser takes it up
    deadline: float = 0.0
    queued: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    result: Rendered | None = None


class Browser:
    """A lazily started Chromium. `blocked(host)` says whether a host must not be
    contacted (a private address when those are not allowed); such requests are aborted."""

    def __init__(self, executable: str, blocked: Callable[[str], bool] | None = None,
                 end: float | None = None) -> None:  # fmt: skip
        """`end`: the run's deadline (monotonic); no page is waited for past it."""
        self.executable = executable
        self._blocked = blocked
        self._end = end if end is not None else time.monotonic() + 3600
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failed: str | None = None
        self._lock = threading.Lock()

    def render(self, url: str, agent: Agent, deadline: float) -> Rendered:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, daemon=True, name="chromium")
                self._thread.start()
        budget = max(0.0, deadline - time.monotonic())
        # Starting Chromium, and waiting behind other pages (one browser serves every
        # thread), are the run's cost, not the link's: the budget starts when work does.
        if not self._ready.wait(START_LIMIT):
            return Rendered(final_url=url, error="browser start timed out", timed_out=True)
        if self._failed:
            return Rendered(final_url=url, error=self._failed)
        job = _Job(url, agent, budget)
        self._jobs.put(job)
        if not job.done.wait(max(0.0, self._end - time.monotonic()) + 5):
            return Rendered(final_url=url, error="browser did not answer", timed_out=True)
        return job.result or Rendered(final_url=url, error="no result")

    def close(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout=10)

    def _serve(self) -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=self.executable, args=CHROMIUM_ARGS, headless=True,
                    timeout=30_000,
                )  # fmt: skip
                self._ready.set()
                while (job := self._jobs.get()) is not None:
                    job.deadline = min(time.monotonic() + job.budget, self._end)
                    job.result = self._render(browser, job)
                    job.done.set()
                browser.close()
        except Exception as exc:  # no browser this run: every shell page is "check by hand"
            self._failed = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            self._ready.set()
            while True:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    job.result = Rendered(final_url=job.url, error=self._failed)
                    job.done.set()

    def _render(self, browser, job: _Job) -> Rendered:  # noqa: ANN001 (a playwright Browser)
        from playwright.sync_api import Error as PlaywrightError

        out = Rendered(final_url=job.url)

        def left_ms() -> float:
            return max(0.0, (job.deadline - time.monotonic()) * 1000)

        if left_ms() <= 0:
            out.error, out.timed_out = "time limit", True
            return out
        agent = job.agent
        context = browser.new_context(
            user_agent=agent.user_agent, viewport={"width": agent.width, "height": agent.height},
            is_mobile=agent.mobile, has_touch=agent.mobile, service_workers="block",
            locale="zh-CN",
        )  # fmt: skip
        try:
            if self._blocked is not None:
                context.route("**/*", self._guard)
            page = context.new_page()
            page.on("request", lambda r: self._navigation(page, r, out))
            page.on("response", lambda r: out.statuses.append((r.url, r.status)))
            try:
                page.goto(job.url, wait_until="load", timeout=left_ms() or 1)
            except PlaywrightError as exc:
                # a script that navigates away during load interrupts goto: not an error
                if "Timeout" in type(exc).__name__ or "Timeout" in str(exc).split("\n")[0]:
                    out.error, out.timed_out = "time limit", True
                elif not out.navigations[1:]:
                    out.error = str(exc).splitlines()[0][:200]
            with contextlib.suppress(PlaywrightError):
                page.wait_for_load_state("networkidle", timeout=min(left_ms(), SETTLE_MS) or 1)
            out.final_url = page.url
            info = None
            for _ in range(3):  # a navigation in flight destroys the context: wait, retry
                try:
                    info = page.evaluate(_PAGE_JS)
                    break
                except PlaywrightError:
                    with contextlib.suppress(PlaywrightError):
                        page.wait_for_load_state("load", timeout=min(left_ms(), SETTLE_MS) or 1)
            out.final_url = page.url
            if info:
                out.title, out.text = str(info["title"]), str(info["text"])
                out.password, out.media = bool(info["password"]), int(info["media"])
            if left_ms() > 0:
                with contextlib.suppress(PlaywrightError):
                    out.screenshot = _thumbnail(page.screenshot(type="png", timeout=left_ms()))
        except PlaywrightError as exc:
            out.error = out.error or str(exc).splitlines()[0][:200]
        finally:
            with contextlib.suppress(PlaywrightError):
                context.close()
        return out

    @staticmethod
    def _navigation(page, request, out: Rendered) -> None:  # noqa: ANN001
        with contextlib.suppress(Exception):
            if request.is_navigation_request() and request.frame == page.main_frame:
                out.navigations.append(request.url)

    def _guard(self, route) -> None:  # noqa: ANN001
        host = urlsplit(route.request.url).hostname or ""
        if host and self._blocked is not None and self._blocked(host):
            route.abort("blockedbyclient")
        else:
            route.continue_()


def _thumbnail(png: bytes) -> bytes:
    """The screenshot downscaled (a report shows it small; a full one is ~1 MB)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image.thumbnail((SCREENSHOT_WIDTH, SCREENSHOT_WIDTH * 4))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()
