"""Helpers for the reports for people: a real run (HTML, CSV, XLSX): generated lessons, a case
folder and a text, probed and evaluated by the real flow, under awkward names."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))

import make_photos  # noqa: E402

from mediacheck import app  # noqa: E402
from mediacheck.model import RunResult  # noqa: E402
from mediacheck.profile import Profile, load_profile  # noqa: E402
from mediacheck.report import ReportContext
from mediacheck.report.common import Listed  # noqa: E402

# A name that breaks out of HTML if not escaped, with a quote, an ampersand and a newline.
EVIL = 'bad<script>alert(1)<img src=x onerror=alert(2)>"\n&amp;=1+1.mp4'


Ctx = ReportContext  # the reporters' context


@dataclass(frozen=True)
class PeopleRun:
    run: RunResult
    root: Path
    profile: Profile
    listed: tuple[Listed, ...]

    def ctx(self, lang: str, **kw: object) -> Ctx:
        fields = {"profile": self.profile, "listed": self.listed, **kw}
        return Ctx(lang, self.root, **fields)  # type: ignore[arg-type]


def build(media, root: Path) -> PeopleRun:
    videos = []
    for name in ("compliant", "res_720p", "audio_silence_gated", "text_as_mp4"):
        src = media(name)
        videos.append(Path(shutil.copy(src, root / src.name)))
    videos.append(Path(shutil.copy(media("bitrate_1m"), root / EVIL)))
    case = root / "案例"
    shutil.copytree(make_photos.get("case"), case)
    profile = load_profile()
    files = app.check_files(videos, profile, "video").files + app.check_cases([case], profile).files
    listed = (Listed(root / "notes.xyz", "other", "no_checks"),)
    return PeopleRun(RunResult(profile.name, files), root, profile, listed)
