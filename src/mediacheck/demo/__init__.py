"""`mediacheck demo`: make a compliant and a failing short lesson, then check both.

Shows a new user what a report looks like without needing a lesson of their own, and
proves that ffmpeg and MediaInfo work on this machine (the wheels' copies will do).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from mediacheck.app import check_files
from mediacheck.demo.clips import COMPLIANT, make_clip, with_changes
from mediacheck.model import FAIL, INFO, PASS
from mediacheck.profile import load_profile
from mediacheck.report import ReportContext
from mediacheck.report import table as report_table
from mediacheck.tools import find

# The failing lesson breaks the rules producers most often break: a 720p, 30 fps,
# mono 44.1 kHz phone export.
FAILING = with_changes(COMPLIANT, width=1280, height=720, fps=30, channels=1,
                       sample_rate=44_100, video_bitrate=2_000_000)  # fmt: skip

WORDS = {
    "making": {"zh": "正在生成两段 4 秒的示例课程视频（{folder}）…",
               "en": "Making two 4-second sample lessons in {folder} …"},
    "ok": {"zh": "演示完成：合格示例通过，不合格示例被正确指出。",
           "en": "Demo done: the compliant lesson passed and the failing one was caught."},
    "bad": {"zh": "演示结果与预期不符，请检查 ffmpeg / MediaInfo 安装。",
            "en": "The demo did not come out as expected; check the ffmpeg / MediaInfo install."},
}  # fmt: skip


def run_demo(keep: Path | None, lang: str) -> int:
    find("ffmpeg")  # the system's or the wheel's; the clips are MP4s: no ffprobe needed
    out = Console(highlight=False)
    with tempfile.TemporaryDirectory(prefix="mediacheck-demo-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        out.print(WORDS["making"][lang].format(folder=folder), style="dim")
        good = make_clip(COMPLIANT, folder / "lesson-compliant.mp4")
        bad = make_clip(FAILING, folder / "lesson-720p-30fps-mono.mp4")
        profile = load_profile()
        run = check_files([good, bad], profile, "video")
        report_table.show(out, run, ReportContext(lang=lang, root=folder, profile=profile))
    good_result, bad_result = run.files
    as_expected = good_result.status in (PASS, INFO) and bad_result.status == FAIL
    out.print(WORDS["ok" if as_expected else "bad"][lang], style="green" if as_expected else "red")
    return 0 if as_expected else 1
