"""`mediacheck serve`: the local page for clerks (see mediacheck.serve).

Binds 127.0.0.1 only (there is no option to listen elsewhere), prints the address and
the temporary folder, opens the browser unless --no-browser, and on Ctrl-C stops and
deletes every uploaded file.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path

import click

from mediacheck.cli.options import command, option
from mediacheck.profile import ProfileError, load_profile
from mediacheck.words.catalogue import say
from mediacheck.words.lang import pick_lang
from mediacheck.words.serve import console

USAGE_ERROR = 2
DEFAULT_PORT = 8765
DEFAULT_TOTAL = "4GB"
UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20,
         "G": 1 << 30, "GB": 1 << 30, "T": 1 << 40, "TB": 1 << 40}  # fmt: skip


def parse_size(text: str) -> int:
    """'4GB', '500 MB', '1.5G', '1048576' -> bytes (binary units, like Explorer)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?B?)\s*", text.upper())
    if not m or m.group(2) not in UNITS:
        raise ValueError(text)
    value = int(float(m.group(1)) * UNITS[m.group(2)])
    if value <= 0:
        raise ValueError(text)
    return value


def bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if sys.platform != "win32":  # on Windows SO_REUSEADDR would let two servers share a port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    return sock


@command("serve", help="help.serve")
@option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="help.port",
)
@option("--no-browser", is_flag=True, help="help.no_browser")
@option("--profile", "profile_ref", metavar="NAME|PATH", help="help.profile")
@option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="help.lang",
)
@option(
    "--max-upload",
    default=DEFAULT_TOTAL,
    show_default=True,
    metavar="SIZE",
    help="help.max_upload",
)
@option(
    "--max-file",
    default=None,
    metavar="SIZE",
    help="help.max_file",
)
@option(
    "--abandon-after",
    type=click.FloatRange(min=1),
    default=45.0,
    hidden=True,
    help="help.abandon",
)
def serve_command(port: int, no_browser: bool, profile_ref: str | None, lang: str | None,
                  max_upload: str, max_file: str | None, abandon_after: float) -> None:  # fmt: skip
    """A local web page where files or folders are picked or dropped, checked, and the
    report shown and downloaded. Only this computer can reach it; uploads go to a
    temporary folder that is deleted afterwards."""
    import uvicorn

    from mediacheck.serve.app import make_app
    from mediacheck.serve.jobs import Settings
    from mediacheck.serve.upload import Limits

    text_lang = pick_lang(lang)

    def usage(text: str) -> None:
        click.echo(text, err=True)
        sys.exit(USAGE_ERROR)

    try:
        total = parse_size(max_upload)
        per_file = parse_size(max_file) if max_file else total
    except ValueError as exc:
        usage(console("bad_size", text_lang, value=exc))
        raise
    try:
        profile = load_profile(profile_ref)
    except ProfileError as exc:
        usage(say("profile_error", text_lang, error=exc))
        raise
    try:
        sock = bind(port)
    except OSError:
        usage(console("port_busy", text_lang, port=port))
        raise
    actual = sock.getsockname()[1]
    base = Path(tempfile.mkdtemp(prefix="mediacheck-serve-"))
    try:
        settings = Settings(profile=profile, lang=lang or "", base=base,
                            abandon_after=abandon_after)  # fmt: skip
        app = make_app(settings, Limits(total=total, per_file=min(per_file, total)),
                       port=lambda: actual, lang=lang)  # fmt: skip
        config = uvicorn.Config(app, log_level="warning", lifespan="on", server_header=False,
                                timeout_graceful_shutdown=5)  # fmt: skip
        url = f"http://127.0.0.1:{actual}/"
        click.echo(console("listening", text_lang, url=url, tmp=base))
        sys.stdout.flush()
        if not no_browser:
            threading.Timer(0.3, webbrowser.open, [url]).start()
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once stopped
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        shutil.rmtree(base, ignore_errors=True)
        click.echo(console("stopped", text_lang))


if __name__ == "__main__":  # `python -m mediacheck.cli.serve`, until it is in the CLI group
    serve_command(prog_name="mediacheck serve")
