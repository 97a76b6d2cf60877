"""`mediacheck submission PATH...` (a unit's folder or zip) and `mediacheck district DIR`
(every unit's, the course list, the district; `--table-out` the merged table): the one
run path of cli/run.py (setup, report_run), with the sets of sets/submission.py and
sets/district.py."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from mediacheck.cli.run import (
    Output,
    RunOptions,
    _refuse_reports_over_inputs,
    context,
    progress_bar,
    report_run,
    setup,
    show_progress,
)
from mediacheck.discover.walk import MissingPath, walk
from mediacheck.discover.worklist import FileJob, WorkList
from mediacheck.errors import UsageError
from mediacheck.model import RunResult
from mediacheck.words.catalogue import say


def _inputs(paths: Iterable[Path]) -> list[Path]:
    """Every file the run reads: a folder's files, a zip itself."""
    found: list[Path] = []
    for path in paths:
        found += list(walk(path)) if path.is_dir() else [path]
    return found


def _refuse(outs: Sequence[Output], inputs: list[Path]) -> None:
    """A report never replaces a file being checked (`-o 统计表.xlsx`)."""
    _refuse_reports_over_inputs(outs, WorkList(jobs=[FileJob(p, "other") for p in inputs]))


def run_submission(opts: RunOptions) -> int:
    from mediacheck.sets.submission import check_units

    s = setup(opts)
    for path in opts.paths:
        if not os.path.lexists(path):
            raise MissingPath(path)
    _refuse(s.outs, _inputs(opts.paths))
    results = []
    with progress_bar(s.lang, show_progress()) as (on_start, on_done, _decode):
        units = check_units(list(opts.paths), s.profile, s.config, s.workers, on_start,
                            lambda: on_done(1))  # fmt: skip
    for unit in units:
        results += unit.results
    run = RunResult(profile=s.profile.name, files=tuple(results))
    report_run(run, s.outs, context(s, opts))
    return run.exit_code(s.strict)


def _check_table_out(table_out: Path, outs: Sequence[Output], inputs: list[Path]) -> None:
    """The merged table goes to a new .xlsx, or replaces one as -o replaces a report;
    never a file being checked, never a report's file."""
    if table_out.suffix.lower() != ".xlsx":
        raise UsageError("usage.table_out_suffix", file=table_out)
    target = os.path.realpath(table_out)
    if target in {os.path.realpath(p) for p in inputs}:
        raise UsageError("usage.table_out_is_input", file=table_out)
    if any(o.file is not None and os.path.realpath(o.file) == target for o in outs):
        raise UsageError("usage.table_out_is_report", file=table_out)


def run_district(opts: RunOptions, table_out: Path | None, online: bool | None) -> int:
    from mediacheck.probe.link import LinkOptions
    from mediacheck.sets.district import check_district, merged_date
    from mediacheck.sets.table_writer import write_merged_table

    s = setup(opts)
    (folder,) = opts.paths
    if not os.path.lexists(folder):
        raise MissingPath(folder)
    inputs = _inputs([folder])
    _refuse(s.outs, inputs)
    layout = s.profile.tables.get("statistics")
    if table_out is not None:
        _check_table_out(table_out, s.outs, inputs)
        if layout is None:
            raise UsageError("usage.write", file=table_out, detail="no 'tables: statistics:'")
    visit = online if online is not None else s.config.online
    with progress_bar(s.lang, show_progress()) as (on_start, on_done, _decode):
        checked = check_district(folder, s.profile, s.config, s.workers,
                                 links=LinkOptions(online=visit), on_start=on_start,
                                 on_unit=lambda: on_done(1))  # fmt: skip
    run = RunResult(profile=s.profile.name, files=tuple(checked.results))
    report_run(run, s.outs, context(s, opts))
    if table_out is not None and layout is not None:
        try:
            table_out.parent.mkdir(parents=True, exist_ok=True)
            write_merged_table(table_out, layout, checked.rows, district=checked.district,
                               date=merged_date())  # fmt: skip
        except OSError as exc:
            raise UsageError("usage.write", file=table_out, detail=exc.strerror or exc) from exc
        click.echo(say("merged.wrote", s.lang, path=table_out, units=len(checked.rows)), err=True)
    return run.exit_code(s.strict)
