"""A real `mediacheck serve` process on 127.0.0.1 for the tests, and a plain HTTP client
that can send what a browser never would (foreign Host and Origin, NUL in names, lies
about lengths)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

READY_S = 60.0  # generous: a loaded CI machine imports uvicorn slowly


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    port: int
    tmp: Path
    stderr_path: Path
    out: list[str] = field(default_factory=list)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGINT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                return self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise
        return self.proc.returncode

    # ---- HTTP
    def conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:  # fmt: skip
        conn = self.conn()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def token(self, lang: str = "zh") -> str:
        status, _, body = self.request("GET", f"/?lang={lang}")
        assert status == 200
        return re.search(rb'name="mc-token" content="([^"]+)"', body).group(1).decode()

    def upload(self, token: str, files: list[tuple[bytes, bytes]],
               headers: dict[str, str] | None = None,
               lang: str = "zh") -> tuple[int, dict]:  # fmt: skip
        body, ctype = multipart(files)
        status, _, data = self.request(
            "POST", f"/api/jobs?lang={lang}", body,
            {"Content-Type": ctype, "X-MC-Token": token, **(headers or {})},
        )  # fmt: skip
        return status, json.loads(data or b"{}")

    def status(self, token: str, job: str) -> tuple[int, dict]:
        status, _, data = self.request("GET", f"/api/jobs/{job}", headers={"X-MC-Token": token})
        return status, json.loads(data or b"{}")

    def wait_done(self, token: str, job: str, deadline_s: float = 300.0) -> dict:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            status, state = self.status(token, job)
            assert status == 200, state
            if state["state"] in ("done", "failed"):
                return state
            time.sleep(0.2)
        raise AssertionError(f"job {job} did not finish")

    def report(self, token: str, job: str, fmt: str = "html") -> bytes:
        status, _, body = self.request("GET", f"/jobs/{job}/report?token={token}&format={fmt}")
        assert status == 200, body[:300]
        return body

    def job_folders(self) -> list[Path]:
        return sorted(self.tmp.glob("job-*")) if self.tmp.exists() else []


def multipart(files: list[tuple[bytes, bytes]], field_name: bytes = b"files") -> tuple[bytes, str]:
    """A multipart/form-data body with raw (undecoded) file names, as a hostile client
    would send them."""
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, data in files:
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + field_name + b'"; filename="'
        out += name + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        out += data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def start(tmp_path: Path, *args: str) -> Server:
    """`python -m mediacheck.cli.serve --port 0 --no-browser ARGS`, until it says where it is."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    env["TMPDIR"] = str(tmp_path)  # its temporary folder goes where the test can watch it
    env["PYTHONUNBUFFERED"] = "1"
    stderr_path = tmp_path / "serve.stderr"
    cmd = [sys.executable, "-m", "mediacheck.cli.serve", "--port", "0", "--no-browser", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(stderr_path, "wb"),  # noqa: SIM115
                            stdin=subprocess.DEVNULL, env=env, text=True)  # fmt: skip
    lines: list[str] = []
    url = tmp = None
    end = time.monotonic() + READY_S
    while time.monotonic() < end and (url is None or tmp is None):
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        url = url or (m.group(1) if (m := re.search(r"(http://127\.0\.0\.1:\d+/)", line)) else None)
        if "mediacheck-serve-" in line:
            tmp = re.search(r"((?:[A-Za-z]:)?[\\/]\S*mediacheck-serve-\S+)", line).group(1)
    if url is None or tmp is None:
        proc.kill()
        raise AssertionError("serve did not start:\n" + "".join(lines) + stderr_path.read_text())
    port = int(url.rsplit(":", 1)[1].strip("/"))
    assert Path(tmp).is_dir(), tmp
    server = Server(proc, url, port, Path(tmp), stderr_path, lines)
    # the socket is bound and listening before the line is printed; wait for the app
    while time.monotonic() < end:
        try:
            if server.request("GET", "/favicon.ico")[0] == 204:
                return server
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("serve did not answer")
