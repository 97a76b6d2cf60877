"""MediaInfo: the labels a platform using MediaInfo sees, read in a child process.

MediaInfo's CBR/VBR and CFR/VFR are header heuristics (it calls a VBR AAC track averaging
199 kbit/s "CBR"), so they are kept as labels with source "mediainfo"; verdicts on rates
come from measurements where we have them.

libmediainfo is not safe on hostile files: fuzzed index boxes make it loop for ever or
allocate gigabytes, even where mediacheck's own reader has rejected the box. So it never
runs in this process: `Labels` starts `mediainfo_child.py` (the library pymediainfo's wheel
bundles, through ctypes) with TIME_LIMIT_S and MEMORY_LIMIT_MB, right when a video is
sniffed (for `mediacheck video FILE`, before the command line is parsed:
probe/mediainfo_early.py), and its answer is collected after the sample tables are read.
A file MediaInfo cannot read within them is a finding ("not checked"), never a pass, and
the rest of the verdict stands.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from mediacheck.model import MEDIAINFO, Facts
from mediacheck.probe import mediainfo_early
from mediacheck.probe.mediainfo_early import MEMORY_LIMIT_MB, TIME_LIMIT_S, library_candidates
from mediacheck.tools import ToolMissing

TOOL = "MediaInfo (libmediainfo)"
NO_LIBRARY = 3  # mediainfo_child's exit status when no candidate library loads

# The facts only MediaInfo gives for some files: "not checked" when it could not read one.
LABEL_FACTS = ("file.truncated", "container.faststart", "video.fps_mode",
               "video.bitrate_declared", "video.scan", "audio.bitrate_mode",
               "audio.bitrate_declared")  # fmt: skip
# mediainfo_child.TEMPLATE's lines: kind letter -> track type, the fields in order (named
# as pymediainfo names them)
FIELDS = {
    "G": ("General", ("istruncated", "isstreamable")),
    "V": ("Video", ("frame_rate_mode", "nominal_bit_rate", "scan_type")),
    "A": ("Audio", ("bit_rate_mode", "nominal_bit_rate", "bit_rate")),
}


class MediaInfoFailed(Exception):
    """MediaInfo did not read the file within its limits (or gave up on it)."""

    def __init__(self, seconds: float, megabytes: int, why: str) -> None:
        super().__init__(f"MediaInfo: {why} ({seconds:g} s / {megabytes} MB)")
        self.seconds, self.megabytes, self.why = seconds, megabytes, why


def parse_report(text: str) -> list[dict[str, Any]]:
    """mediainfo_child's lines -> one dict per stream, in pymediainfo's to_data() shape."""
    tracks = []
    for line in text.splitlines():
        kind, _, rest = line.partition("|")
        if kind not in FIELDS:
            continue
        track_type, names = FIELDS[kind]
        values = rest.split("|")
        track: dict[str, Any] = {"track_type": track_type}
        track.update({n: v for n, v in zip(names, values, strict=False) if v})
        tracks.append(track)
    return tracks


class _Server:
    """One MediaInfo child that reads file after file (mediainfo_child's serving mode):
    its start-up, most of a short clip's check, is paid once per thread. POSIX only
    (the answer is waited for with a selector on the pipe); Windows starts one per file."""

    def __init__(self, config: tuple[float, int, tuple[str, ...]]) -> None:
        self.config = config
        seconds, megabytes, libraries = config
        self.proc = mediainfo_early.spawn("", seconds, megabytes, list(libraries), serve=True)
        self.busy = False  # a request whose answer is not read yet

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def ask(self, path: Path) -> bool:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(os.fsencode(os.path.abspath(path)) + b"\0")
            self.proc.stdin.flush()
        except OSError:  # it has gone (a limit ended it): the caller starts another
            return False
        self.busy = True
        return True

    def answer(self, deadline: float) -> tuple[int, bytes]:
        """(status, report): 0 and the report, FAILED, or the exit status the process
        ended with; TimeoutError (the process killed) when the deadline passes first."""
        import selectors

        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        data = b""
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while len(data) < 5 or len(data) < 5 + int.from_bytes(data[1:5], "little"):
                if not sel.select(max(0.0, deadline - time.monotonic())):
                    self.stop()
                    raise TimeoutError
                chunk = os.read(fd, 1 << 16)
                if not chunk:  # ended: a limit, a crash, no library
                    self.busy = False
                    return self.proc.wait(), b""
                data += chunk
        self.busy = False
        return data[0], data[5:]

    def stop(self) -> None:
        """Kill it and close its pipes (again: harmless)."""
        proc = self.proc
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):  # unflushed bytes to a killed process
                        pipe.close()
            proc.wait()
        self.busy = False


# One server per thread (`mediacheck serve` checks in a pool of threads): a request and
# its answer never interleave with another thread's.
_local = threading.local()


def _serving(config: tuple[float, int, tuple[str, ...]]) -> _Server | None:
    """This thread's MediaInfo server for `config`, started (again) when needed."""
    if os.name != "posix":
        return None
    server: _Server | None = getattr(_local, "server", None)
    if server is not None and (server.config != config or server.busy
                               or not server.alive()):  # fmt: skip
        server.stop()
        server = None
    if server is None:
        server = _Server(config)
        if server.proc is None:
            server = None
        else:
            import atexit

            atexit.register(server.stop)  # not left running when this process ends
    _local.server = server
    return server


class Labels:
    """MediaInfo's report of one file, asked for at once (of the child started before
    the command line was parsed, of this process's server, or of a child of its own);
    `result()` waits for it (up to the time limit from the start), `close()` stops it."""

    def __init__(self, path: Path) -> None:
        self.seconds, self.megabytes = TIME_LIMIT_S, MEMORY_LIMIT_MB
        self._tracks: list[dict[str, Any]] | None = None
        self._server: _Server | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        early = mediainfo_early.take(path)  # started before the command line was parsed
        if early is not None and (self.seconds, self.megabytes) == mediainfo_early.LIMITS:
            self._proc = early[0]
            self._deadline = early[1] + self.seconds
            return
        self._deadline = time.monotonic() + self.seconds
        libraries = library_candidates()
        server = _serving((self.seconds, self.megabytes, tuple(libraries)))
        if server is not None and server.ask(path):
            self._server = server
            return
        self._proc = mediainfo_early.spawn(path, self.seconds, self.megabytes, libraries)

    def _failed(self, why: str) -> MediaInfoFailed:
        return MediaInfoFailed(self.seconds, self.megabytes, why)

    def result(self) -> list[dict[str, Any]]:
        """MediaInfo's tracks; MediaInfoFailed past a limit, ToolMissing without the
        library."""
        if self._tracks is not None:
            return self._tracks
        if self._server is not None:
            try:
                status, out = self._server.answer(self._deadline)
            except TimeoutError:
                raise self._failed("timeout") from None
            finally:
                self._server = None
        else:
            proc = self._proc
            if proc is None:
                raise self._failed("not started")
            try:
                out, _ = proc.communicate(timeout=max(0.0, self._deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.close()
                raise self._failed("timeout") from None
            status = proc.returncode
        if status == NO_LIBRARY:
            raise ToolMissing(TOOL)
        if status != 0:
            raise self._failed(f"exit status {status}")
        self._tracks = parse_report(out.decode("utf-8", "replace"))
        return self._tracks

    def close(self) -> None:
        """Stop what still reads for nothing (a probe that needs no labels, a timeout):
        a server with an answer not taken is stopped, and the next file starts another."""
        if self._server is not None:
            self._server.stop()
            self._server = None
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.communicate()


def run_mediainfo(path: Path) -> list[dict[str, Any]]:
    """MediaInfo's tracks of one file, waiting for them (see Labels)."""
    labels = Labels(path)
    try:
        return labels.result()
    finally:
        labels.close()


def _num(x: Any) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def mediainfo_failed(exc: MediaInfoFailed, facts: Facts) -> None:
    """Every fact only MediaInfo would give is "not checked", with the limits it had."""
    facts.set("mediainfo.limit", f"{exc.seconds:g} s / {exc.megabytes} MB", source=MEDIAINFO)
    facts.absent_all(LABEL_FACTS, "mediainfo_failed")


def mediainfo_facts(tracks: list[dict[str, Any]], facts: Facts) -> None:
    general = next((t for t in tracks if t.get("track_type") == "General"), {})
    video = next((t for t in tracks if t.get("track_type") == "Video"), None)
    audio = next((t for t in tracks if t.get("track_type") == "Audio"), None)
    if str(general.get("istruncated", "")).lower() == "yes":
        facts.set("file.truncated", True, source=MEDIAINFO)
    elif general:
        facts.set("file.truncated", False, source=MEDIAINFO)
    streamable = general.get("isstreamable")
    if streamable:
        facts.set("container.faststart", str(streamable).lower() == "yes", source=MEDIAINFO)
    if video:
        mode = video.get("frame_rate_mode")
        if mode:
            facts.set("video.fps_mode", str(mode).upper(), source=MEDIAINFO)
        declared = _num(video.get("nominal_bit_rate"))
        facts.set("video.bitrate_declared", declared, "bit/s", MEDIAINFO)
        scan = str(video.get("scan_type", "")).lower()
        if scan and "video.scan" not in facts.values:
            facts.set("video.scan", "progressive" if scan == "progressive" else "interlaced",
                      source=MEDIAINFO)  # fmt: skip
    if audio:
        mode = audio.get("bit_rate_mode")
        if mode:
            facts.set("audio.bitrate_mode", str(mode).upper(), source=MEDIAINFO)
        declared = _num(audio.get("nominal_bit_rate") or audio.get("bit_rate"))
        facts.set("audio.bitrate_declared", declared, "bit/s", MEDIAINFO)
