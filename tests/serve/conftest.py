"""A `mediacheck serve` process per test (real uvicorn on 127.0.0.1), stopped with
Ctrl-C (SIGINT) afterwards: it must exit cleanly and leave no temporary file behind."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator

import pytest
from serve_helpers import Server, start


@pytest.fixture
def serve(tmp_path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def make(*args: str) -> Server:
        server = start(tmp_path, *args)
        started.append(server)
        return server

    yield make
    for server in started:
        code = server.stop(signal.SIGINT)
        assert code == 0, server.stderr()
        assert not server.tmp.exists(), list(server.tmp.rglob("*"))
        assert "Traceback" not in server.stderr(), server.stderr()
