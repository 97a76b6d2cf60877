"""The web app of `mediacheck serve` (Starlette, an ASGI toolkit; run by uvicorn).

Why Starlette: small (pure Python, a few hundred KB), ASGI so an upload is a stream of
chunks we write to disk as they come (python-multipart's push parser), routes and
responses without a framework's worth of validation layers (FastAPI adds pydantic for
nothing we need here).

Who may talk to it: the server binds 127.0.0.1 only, and `LocalOnly` refuses any request
whose Host is not 127.0.0.1 / localhost / [::1] at this port (a web page elsewhere that
points its own host name at 127.0.0.1, "DNS rebinding", sends its own name as Host), and
any request whose Origin (or Sec-Fetch-Site) says another site sent it. Every state
change and every job read needs the token of the page that made the job (CSRF).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from mediacheck.serve.jobs import DONE, Jobs, Settings
from mediacheck.serve.page import human, render_page
from mediacheck.serve.upload import Limits, Refused, precheck, receive
from mediacheck.words.lang import LANGS
from mediacheck.words.serve import error_text

LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
MAX_TOKENS = 1000
TOKEN_HEADER = "x-mc-token"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]],
                   Awaitable[None]]  # fmt: skip


class LocalOnly:
    """ASGI middleware: only this machine, only this page's own origin."""

    def __init__(self, app: ASGIApp, port: Callable[[], int], lang: str) -> None:
        self.app, self.port, self.lang = app, port, lang

    def _allowed_host(self, host: str) -> bool:
        name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if not name:  # no port given
            name, port = host, ""
        return name.lower() in LOCAL_NAMES and port == str(self.port())

    def _allowed_origin(self, origin: str) -> bool:
        """No Origin (a plain GET, a non-browser client) is fine; a foreign one is not."""
        if not origin:
            return True
        if origin == "null":
            return False
        parts = urlsplit(origin)
        return parts.scheme == "http" and self._allowed_host(parts.netloc)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        code = None
        if not self._allowed_host(headers.get("host", "")):
            code = "forbidden_host"
        elif not self._allowed_origin(headers.get("origin", "")) or headers.get(
            "sec-fetch-site"
        ) in ("cross-site", "same-site"):
            code = "forbidden_origin"
        if code is None:
            await self.app(scope, receive, send)
            return
        text = "\n".join(error_text(code, lang) for lang in LANGS)
        response: Response = PlainTextResponse(text, status_code=403, headers=HEADERS)
        if scope.get("path", "").startswith("/api/"):  # what the page's script reads
            response = JSONResponse({"error": text, "code": code}, 403, headers=HEADERS)
        await response(scope, receive, send)


class Tokens:
    """The pages handed out (a token each), oldest forgotten first."""

    def __init__(self) -> None:
        self.issued: OrderedDict[str, None] = OrderedDict()
        self.lock = threading.Lock()

    def new(self) -> str:
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.issued[token] = None
            while len(self.issued) > MAX_TOKENS:
                self.issued.popitem(last=False)
        return token

    def valid(self, token: str | None) -> bool:
        with self.lock:
            return bool(token) and token in self.issued


def _lang(request: Request, default: str | None) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    if default:
        return default
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") else "en"


def _error(code: str, status: int, lang: str, **params: object) -> JSONResponse:
    return JSONResponse({"error": error_text(code, lang, **params), "code": code},
                        status_code=status, headers=HEADERS)  # fmt: skip


def make_app(settings: Settings, limits: Limits, port: Callable[[], int],
             lang: str | None = None) -> Starlette:  # fmt: skip
    """The app; `port()` is the port it is served on (known once the socket is bound)."""
    jobs = Jobs(settings)
    tokens = Tokens()

    def token_of(request: Request) -> str:
        return request.headers.get(TOKEN_HEADER) or request.query_params.get("token") or ""

    async def page(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
               "img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")  # fmt: skip
        html = render_page(tokens.new(), nonce, _lang(request, lang), limits.total, limits.per_file)
        return HTMLResponse(html, headers={**HEADERS, "Content-Security-Policy": csp,
                                           "X-Frame-Options": "DENY"})  # fmt: skip

    async def create(request: Request) -> Response:
        job_lang = _lang(request, lang)
        token = token_of(request)
        if not tokens.valid(token):
            return _error("bad_token", 403, job_lang)
        try:
            precheck(request.headers.get("content-length"), settings.base, limits)
        except Refused as exc:
            return _error(exc.code, exc.status, job_lang, **_sized(exc.params))
        try:
            job = jobs.new(token, job_lang)
        except OverflowError:
            return _error("busy", 503, job_lang)
        try:
            await receive(request.stream(), request.headers.get("content-type", ""),
                          job.folder, limits)  # fmt: skip
        except Refused as exc:
            jobs.discard(job)
            # close the connection: the rest of a refused body is not read
            response = _error(exc.code, exc.status, job_lang, **_sized(exc.params))
            response.headers["Connection"] = "close"
            return response
        except ClientDisconnect:  # the tab was closed during the upload
            jobs.discard(job)
            return Response(status_code=400)
        except BaseException:
            jobs.discard(job)
            raise
        jobs.start(job)
        return JSONResponse({"job": job.id}, status_code=201, headers=HEADERS)

    async def status(request: Request) -> Response:
        job = jobs.get(request.path_params["job"], token_of(request))
        if job is None:
            return _error("no_job", 404, _lang(request, lang))
        return JSONResponse(job.status(), headers=HEADERS)

    async def cancel(request: Request) -> Response:
        job = jobs.get(request.path_params["job"], token_of(request))
        if job is not None:
            jobs.cancel(job)
        return Response(status_code=204, headers=HEADERS)

    async def report(request: Request) -> Response:
        job = jobs.get(request.path_params["job"], token_of(request))
        job_lang = _lang(request, lang)
        if job is None:
            return _error("no_job", 404, job_lang)
        if job.state != DONE or job.report is None or job.run is None:
            return _error("not_ready", 409, job_lang)
        fmt = request.query_params.get("format", "html")
        fmt = fmt if fmt in ("html", "csv", "xlsx") else "html"
        body, media = _render(job, fmt)
        headers = dict(HEADERS)
        if request.query_params.get("download"):
            name = f"mediacheck-{'报告' if job.lang == 'zh' else 'report'}.{fmt}"
            headers["Content-Disposition"] = (
                f"attachment; filename=\"mediacheck-report.{fmt}\"; filename*=UTF-8''{quote(name)}"
            )
        if fmt == "html":  # nothing in a report may load or run anything
            headers["Content-Security-Policy"] = (
                "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
            )
        return Response(body, media_type=media, headers=headers)

    async def favicon(request: Request) -> Response:
        return Response(status_code=204, headers=HEADERS)

    @asynccontextmanager
    async def lifespan(app: Starlette):  # noqa: ANN202
        yield
        jobs.shutdown()  # Ctrl-C or a stop: every job's files go

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/api/jobs", create, methods=["POST"]),
        Route("/api/jobs/{job}", status, methods=["GET"]),
        Route("/api/jobs/{job}/cancel", cancel, methods=["POST"]),
        Route("/jobs/{job}/report", report, methods=["GET"]),
        Route("/favicon.ico", favicon, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.jobs = jobs
    return LocalOnly(app, port, lang or "zh")  # type: ignore[return-value]


def _sized(params: dict[str, object]) -> dict[str, object]:
    """Byte counts in a refusal, as people read sizes."""
    return {k: human(v) if isinstance(v, int) else v for k, v in params.items()}


def _render(job: Any, fmt: str) -> tuple[str | bytes, str]:
    from mediacheck.report import ReportContext

    if fmt == "xlsx":
        from mediacheck.report import xlsx

        ctx = ReportContext(job.lang, job.folder, None, False, tuple(job.listed))
        return xlsx.render(job.run, ctx), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    if fmt == "csv":
        from mediacheck.report import csv

        ctx = ReportContext(job.lang, job.folder, None, False, tuple(job.listed))
        return csv.render(job.run, ctx), "text/csv; charset=utf-8"
    return job.report, "text/html; charset=utf-8"
