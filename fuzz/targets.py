"""What each fuzz target runs on one input file, and the contract it checks.

`box`: mediacheck.mp4.read_index, then everything the prober does with an index (the
per-sample tables, what plays, the facts). Only Mp4Error may leave read_index, with one
of its documented codes; nothing at all may leave the rest, and the tables must agree.

`probe`: the whole video check of one file, as `mediacheck video` runs it: sniffing,
the own reader, MediaInfo, ffprobe where the index cannot say, the facts and the
rules. It must return a result; a file that cannot be probed is a probe error fact
(facts.error, with a message in both languages), never an exception.

Anything else raised is a crash (ContractError for a broken invariant). Hangs and
memory are the callers' (libFuzzer's -timeout / -rss_limit_mb, or worker.py's limits).
"""

from __future__ import annotations

import functools
from pathlib import Path

# Mp4Error codes the reader documents (mediacheck/mp4/__init__.py)
MP4_ERRORS = frozenset({"io_error", "empty_file", "not_isobmff", "no_moov", "box_past_eof",
                        "bad_box"})  # fmt: skip
LANGS = ("zh", "en")


class ContractError(AssertionError):
    """An input broke the contract without raising: a wrong type, tables that disagree."""


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise ContractError(what)


def box(path: Path) -> str:
    """One input through the reader and the index facts; returns the outcome's name."""
    from mediacheck.model import Facts
    from mediacheck.mp4 import Mp4Error, read_index
    from mediacheck.probe.mp4 import index_facts

    try:
        idx = read_index(path)
    except Mp4Error as e:
        _check(e.code in MP4_ERRORS, f"undocumented Mp4Error code {e.code!r}")
        _check(isinstance(e.detail, str), "Mp4Error detail is not text")
        return f"error:{e.code}"
    for tr in idx.tracks:
        n = tr.sample_count
        _check(len(tr.offsets) == n, f"track {tr.track_id}: {len(tr.offsets)} offsets, {n} sizes")
        _check(len(tr.durations) == n, f"track {tr.track_id}: {len(tr.durations)} durations")
        cts = tr.cts_offsets
        _check(cts is None or len(cts) == n, f"track {tr.track_id}: {len(cts or ())} cts")
        syncs = tr.sync_samples
        _check(syncs is None or all(0 <= i < n for i in syncs), "sync sample out of range")
        _check(tr.samples_past_eof <= n, "more samples past the end than samples")
        if tr.timescale and n:
            _check(len(tr.presentation_times()) == n, "presentation times")
    _check(isinstance(idx.truncated, bool) and idx.missing_bytes >= 0, "truncation")
    facts = Facts(path=path, kind="video")
    index_facts(idx, facts)
    return "index"


@functools.cache
def _profile():
    from mediacheck.profile import load_profile

    return load_profile()


def warm() -> None:
    """Import and load what every input needs, once, before workers fork."""
    import mediacheck.app  # noqa: F401
    import mediacheck.probe.ffprobe  # noqa: F401
    import mediacheck.probe.packets  # noqa: F401
    import mediacheck.probe.video  # noqa: F401

    _profile()


def probe(path: Path) -> str:
    """One input through the whole video check; returns the outcome's name."""
    from mediacheck import probe as probes
    from mediacheck.evaluate import evaluate
    from mediacheck.model import FileResult, ProbeOptions

    # as app.check_one, keeping the facts to tell a probe error from a verdict
    facts = probes.kind("video").probe(path, ProbeOptions(profile=_profile()))
    result = evaluate(facts, _profile())
    _check(isinstance(result, FileResult), "evaluate returned no FileResult")
    for f in result.findings:
        for lang in LANGS:
            if f.message:
                _check(isinstance(f.message.get(lang), str), f"{f.rule_id}: no {lang} message")
            _check(isinstance(f.measured_text.get(lang, ""), str), f"{f.rule_id}: measured")
    if facts.error is not None:
        _check(isinstance(facts.error.code, str) and facts.error.code, "probe error code")
        return f"error:{facts.error.code}"
    return f"checked:{result.status}"
