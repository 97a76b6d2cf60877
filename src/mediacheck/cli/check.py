"""`mediacheck check PATH...`: every file by its content, for CI and pre-commit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mediacheck.cli.options import checking_options, command, config_option, jobs_option, option
from mediacheck.cli.run import RunOptions, run


@command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, readable=False))
@config_option
@checking_options(default_hint="table, or github when GITHUB_ACTIONS=true")
@jobs_option
@option("--changed-since", metavar="REF", help="help.changed_since")
@option("--shard", metavar="K/N", help="help.shard")
@option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="help.cache_dir")  # fmt: skip
@option("--no-cache", is_flag=True, help="help.no_cache")
def check_command(paths: tuple[Path, ...], config_file: Path | None, profile_ref: str | None,
                  lang: str | None, formats: tuple[str, ...], output: Path | None,
                  strict: bool | None, jobs: int | None, changed_since: str | None,
                  shard: str | None, cache_dir: Path | None, no_cache: bool) -> None:  # fmt: skip
    """help.check"""
    sys.exit(run(RunOptions(
        paths=paths, config_file=config_file, profile_ref=profile_ref, lang=lang,
        formats=formats, output=output, strict=strict, jobs=jobs, changed_since=changed_since,
        shard=shard, cache_dir=cache_dir, use_cache=not no_cache, profile_cache=not no_cache,
    )))  # fmt: skip
