"""What `serve` checks in an upload, and how: by content, a folder of photos and a text
being a case (real files, the real flow)."""

from __future__ import annotations

import shutil

import make_photos

from mediacheck.profile import load_profile
from mediacheck.serve import dispatch


def test_a_mixed_upload(media, tmp_path):
    shutil.copytree(make_photos.get("case"), tmp_path / "案例")
    shutil.copy(media("res_720p"), tmp_path / "lesson.mp4")
    shutil.copy(make_photos.get("photo_a"), tmp_path / "loose.jpg")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01binary")
    loose, cases, listed = dispatch.plan(tmp_path)
    assert cases == [tmp_path / "案例"]
    assert loose["video"] == [tmp_path / "lesson.mp4"]
    assert loose["photo"] == [tmp_path / "loose.jpg"]
    assert [i.path.name for i in listed] == ["notes.bin"]
    seen: list[tuple[int, int]] = []
    run, got = dispatch.check_folder(tmp_path, load_profile(), lambda d, t: seen.append((d, t)),
                                     lambda: False)  # fmt: skip
    kinds = [r.kind for r in run.files]
    assert kinds.count("case") == 2  # the case folder, and the loose photos as one set
    assert kinds.count("video") == 1 and kinds.count("photo") == 6 and kinds.count("text") == 1
    assert seen[-1][0] == seen[-1][1] == 8  # every file counted once
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cancelled_between_files(media, tmp_path):
    for i in range(3):
        shutil.copy(media("compliant"), tmp_path / f"{i}.mp4")
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    try:
        dispatch.check_folder(tmp_path, load_profile(), lambda d, t: None, cancelled)
    except dispatch.Cancelled:
        pass
    else:
        raise AssertionError("not cancelled")
    assert len(calls) == 2  # stopped at the second file, not at the end
