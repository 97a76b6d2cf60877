"""Upload names made safe (a pure function: no server needed), and where files land."""

from __future__ import annotations

import pytest

from mediacheck.serve.names import MAX_PART_BYTES, place, safe_relpath


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "etc/passwd"),
        ("/abs/x.jpg", "abs/x.jpg"),
        ("C:\\Users\\a\\b.jpg", "Users/a/b.jpg"),
        ("c:x.jpg", "x.jpg"),
        ("a\x00b.jpg", "a_b.jpg"),
        ("a\nb.mp4", "a_b.mp4"),
        ('<q>"x"|y?*.mp4', "_q__x__y__.mp4"),
        ("CON.txt", "_CON.txt"),
        ("lpt1", "_lpt1"),
        ("nul.tar.gz", "_nul.tar.gz"),
        ("trail. . ", "trail"),
        ("...", "unnamed"),
        ("", "unnamed"),
        ("a/./b/../c.mp4", "a/b/c.mp4"),
        ("案例/活动照片1.jpg", "案例/活动照片1.jpg"),
        ("报告 (1).mp4", "报告 (1).mp4"),
    ],
)
def test_safe_relpath(name, safe):
    assert str(safe_relpath(name)) == safe


def test_long_names_are_shortened_keeping_the_extension():
    out = safe_relpath("字" * 300 + ".mp4")
    assert str(out).endswith(".mp4") and len(str(out).encode()) <= MAX_PART_BYTES


def test_place_never_overwrites_and_never_leaves(tmp_path):
    first = place(tmp_path, "a.jpg")
    first.write_bytes(b"1")
    second = place(tmp_path, "../a.jpg")
    assert second == tmp_path / "a (2).jpg"
    first.rename(tmp_path / "d")  # a file where a folder is wanted next
    folded = place(tmp_path, "d/e.jpg")
    assert folded.parent == tmp_path and folded.name == "d_e.jpg"
    deep = place(tmp_path, "/".join(["x"] * 40) + "/f.jpg")
    assert tmp_path in deep.parents and len(deep.relative_to(tmp_path).parts) <= 16
