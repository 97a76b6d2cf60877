"""MediaInfo in its own process, with time and memory limits (issue #13, item 10).

Fuzzed index boxes make libmediainfo loop for ever (a `tfra` count of 0xFFFFFFFF) or
allocate gigabytes (`sgpd`, `trun`, `elst`), even where mediacheck's own reader rejected
the box. Byte-patched copies of real lessons show that such a file neither hangs the run
nor takes its memory, that what MediaInfo could not say is "not checked" (never a pass)
with the limits named, and that the rest of the verdict stands.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mp4patch import entry_count, patched

from mediacheck.app import check_one
from mediacheck.model import FAIL, PASS, WARN
from mediacheck.mp4 import Mp4Error, read_index
from mediacheck.probe import mediainfo
from mediacheck.probe.mediainfo import Labels, MediaInfoFailed, run_mediainfo
from mediacheck.probe.video import probe_video
from mediacheck.profile import load_profile
from mediacheck.tools import ToolMissing

PROFILE = load_profile()
LABEL = "A-BITRATE-LABEL"
SRC = Path(__file__).resolve().parents[2] / "src"


def statuses(path: Path) -> dict[str, str]:
    return {f.rule_id: f.status for f in check_one(path, PROFILE, "video").findings}


def but_label(got: dict[str, str]) -> dict[str, str]:
    return {rule: status for rule, status in got.items() if rule != LABEL}


def test_a_tfra_count_of_4_billion_hangs_mediainfo_not_the_run(media, tmp_path, monkeypatch):
    """libmediainfo loops on this mfra for ever; the own reader never needs the mfra."""
    monkeypatch.setattr(mediainfo, "TIME_LIMIT_S", 1.0)  # the test need not wait 10 s
    src = media("fragmented")
    path = patched(src, tmp_path, entry_count(b"tfra", 0xFFFFFFFF))
    read_index(path)  # fine for mediacheck's reader
    result = check_one(path, PROFILE, "video")
    label = next(f for f in result.findings if f.rule_id == LABEL)
    assert label.status == WARN and label.measured is None
    assert "1 s / 256 MB" in label.message["en"] and "1 s / 256 MB" in label.message["zh"]
    assert "not checked" in label.message["en"] and "没有检查" in label.message["zh"]
    assert "MediaInfo" in label.measured_text["en"]
    # everything measured from the sample tables is as on the unpatched lesson
    assert but_label({f.rule_id: f.status for f in result.findings}) == but_label(statuses(src))
    assert statuses(src)[LABEL] == PASS


def test_an_sgpd_count_that_takes_gigabytes_stops_at_the_memory_limit(media, tmp_path):
    """The own reader skips the sample groups; libmediainfo reserves 0xFFFFFFFF entries
    (4-12 GB unbounded) and gives up at its limit. The whole CLI run, measured as the
    benchmarks do (the largest process of its tree), stays far below that."""
    src = media("compliant")
    path = patched(src, tmp_path, entry_count(b"sgpd", 0xFFFFFFFF))
    read_index(path)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediacheck", "video", "--format", "json", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    assert peak_mb < mediainfo.MEMORY_LIMIT_MB * 1.5, peak_mb
    report = json.loads(out)
    got = {f["rule"]: f for f in report["files"][0]["findings"]}
    assert got[LABEL]["status"] == "warn" and "256 MB" in got[LABEL]["message"]
    assert proc.returncode == 0  # a warning: the lesson itself passes every measured rule
    assert but_label({r: f["status"] for r, f in got.items()}) == but_label(statuses(src))


@pytest.mark.parametrize(
    ("fixture", "box", "count"),
    [("fragmented", b"trun", 0xFFFFFFFF), ("compliant", b"elst", 0x7FFFFFFF)],
)
def test_a_box_the_own_reader_rejects_does_not_let_mediainfo_run_away(
    media, tmp_path, fixture, box, count
):
    path = patched(media(fixture), tmp_path, entry_count(box, count))
    with pytest.raises(Mp4Error) as err:
        read_index(path)
    assert err.value.code == "bad_box"
    facts = probe_video(path)
    if facts.error is not None:  # ffmpeg cannot read the trun file either: one clear row
        (f,) = check_one(path, PROFILE, "video").findings
        assert f.rule_id == "V-READABLE" and f.status == FAIL
        assert box.decode() in f.message["en"]
        return
    # ffmpeg reads the elst file: its facts stand; MediaInfo's are "not checked"
    assert facts.missing["audio.bitrate_mode"] == "mediainfo_failed"
    assert facts.get("video.codec").value == "h264"
    assert statuses(path)[LABEL] == WARN


def test_the_time_limit_counts_from_the_start_and_kills_the_child(media, tmp_path, monkeypatch):
    path = patched(media("fragmented"), tmp_path, entry_count(b"tfra", 0xFFFFFFFF))
    monkeypatch.setattr(mediainfo, "TIME_LIMIT_S", 0.5)
    labels = Labels(path)
    reader = reading(labels)
    with pytest.raises(MediaInfoFailed) as err:
        labels.result()
    assert err.value.why == "timeout" and err.value.seconds == 0.5
    assert reader.poll() is not None  # gone
    other = Labels(path)
    reader = reading(other)
    other.close()  # a probe that needs no labels (no moov at all) stops the child at once
    assert reader.poll() is not None


def reading(labels: Labels):  # type: ignore[no-untyped-def]
    """The process reading for `labels`: this process's MediaInfo server, or its own."""
    proc = labels._server.proc if labels._server is not None else labels._proc
    assert proc is not None
    return proc


def test_one_server_reads_file_after_file_and_a_new_one_follows_a_failure(
    media, tmp_path, monkeypatch
):
    """POSIX: the labels of many files come from one process (its start-up paid once);
    a file that exhausts the limit ends that process, and the next file gets a new one
    with the right answer."""
    if os.name != "posix":
        pytest.skip("Windows starts one MediaInfo child per file")
    monkeypatch.setattr(mediainfo, "TIME_LIMIT_S", 2.0)  # one limit: one server throughout
    good, small = media("compliant"), media("interlaced")  # other labels: scan type
    first = Labels(good)
    server = reading(first)
    tracks = first.result()
    assert tracks and tracks[0]["track_type"] == "General"
    second = Labels(small)
    assert reading(second) is server  # the same process
    assert second.result() != tracks
    hang = patched(media("fragmented"), tmp_path, entry_count(b"tfra", 0xFFFFFFFF))
    stuck = Labels(hang)
    assert reading(stuck) is server
    with pytest.raises(MediaInfoFailed):
        stuck.result()
    assert server.poll() is not None  # the time limit ended it
    after = Labels(good)
    assert reading(after) is not server
    assert after.result() == tracks


def test_no_library_is_a_missing_tool(media, monkeypatch):
    monkeypatch.setattr(mediainfo, "library_candidates", lambda: ["/nonexistent/libmi.so"])
    with pytest.raises(ToolMissing):
        run_mediainfo(media("compliant"))


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names are bytes on Linux")
def test_a_name_that_is_not_utf8_is_read_like_any_other(media, tmp_path):
    src = media("compliant")
    odd = tmp_path / os.fsdecode(b"lesson-\xff\xfe.mp4")
    shutil.copyfile(src, odd)
    assert run_mediainfo(odd) == run_mediainfo(src)
    assert statuses(odd) == statuses(src)


def test_threads_each_get_their_own_answers(media):
    """`mediacheck serve` checks in a pool of threads: each thread has its own server, so
    answers never cross."""
    from concurrent.futures import ThreadPoolExecutor

    names = ["compliant", "interlaced"] * 4
    want = {n: run_mediainfo(media(n)) for n in set(names)}
    with ThreadPoolExecutor(max_workers=3) as pool:
        got = list(pool.map(lambda n: run_mediainfo(media(n)), names))
    assert got == [want[n] for n in names]
