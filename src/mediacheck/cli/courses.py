"""`mediacheck courses FILE`: a district's course list (courses.yaml or 课程清单.xlsx), each
course with its episodes' video verdicts, and its interactive links visited with
--online; and `mediacheck template FOLDER`: empty forms a unit can fill."""

from __future__ import annotations

from pathlib import Path

import click

from mediacheck.cli.run import RunOptions, context, remember_lang, report_run, setup
from mediacheck.words.catalogue import say
from mediacheck.words.lang import pick_lang


def run_courses(opts: RunOptions, online: bool | None, allow_private: bool) -> int:
    from mediacheck.probe.link import LinkOptions
    from mediacheck.sets.course_run import check_courses

    s = setup(opts)
    (path,) = opts.paths
    visit = online if online is not None else s.config.online
    links = LinkOptions(online=visit, allow_private=allow_private)
    course_run = check_courses(path, s.profile, links=links, deep=opts.deep)
    report_run(course_run.run, s.outs, context(s, opts))
    return course_run.run.exit_code(s.strict)


def run_template(folder: Path, profile_ref: str | None, lang: str | None) -> int:
    """The statistics table, work summary and case skeletons, and the course list: only
    files that are not there yet (nothing is ever replaced)."""
    from mediacheck.demo.template import TemplateExists, write_template
    from mediacheck.profile import load_profile
    from mediacheck.sets.course_template import write_templates

    lang = pick_lang(lang)
    remember_lang(lang)
    profile = load_profile(profile_ref)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        written = list(write_template(folder, profile))
        kept: list[Path] = []
    except TemplateExists as exc:
        written, kept = [], list(exc.paths)
    for path, new in write_templates(folder, profile).items():
        (written if new else kept).append(path)
    for path in written:
        click.echo(say("template.wrote", lang, path=path))
    for path in kept:
        click.echo(say("template.kept", lang, path=path))
    from mediacheck.demo.template import TABLE_NAME

    click.echo(say("template.next", lang, table=folder / TABLE_NAME))
    return 0
