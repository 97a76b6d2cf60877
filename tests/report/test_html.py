"""The HTML report on a real run, parsed with html5lib: well-formed, in the user's
language, everything escaped, nothing fetched from anywhere, small."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from people_helpers import EVIL, Ctx

from mediacheck.model import FAIL, PASS, Fact, FileResult, Finding, RunResult
from mediacheck.report import html as report_html
from mediacheck.report.parts import chart, thumbs

NS = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def pages(people_run) -> dict[str, str]:
    previews = report_html.gather(people_run.run, people_run.profile)
    return {
        lang: report_html.render(people_run.run, people_run.ctx(lang), previews=previews)
        for lang in ("zh", "en")
    }


def parse(text: str):
    # strict: any parse error (an unclosed tag, a stray "<") raises
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)


def texts(node) -> str:
    return "".join(node.itertext())


def cards(doc) -> list:
    return doc.findall(".//h:section[@class]", NS)


def test_well_formed_and_in_the_users_language(pages):
    for lang, expected in (("zh", "zh-CN"), ("en", "en")):
        doc = parse(pages[lang])
        assert doc.get("lang") == expected
        assert len(doc.findall(".//h:h1", NS)) == 1
    zh = texts(parse(pages["zh"]))
    assert "mediacheck 检查报告" in zh and "不合格" in zh and "通过" in zh
    assert "需要处理的问题" in zh and "检查项" in zh
    en = texts(parse(pages["en"]))
    assert "FAIL" in en and "pass" in en and "What needs attention" in en


def test_one_card_per_subject_worst_first_with_rule_ids(pages, people_run):
    doc = parse(pages["zh"])
    found = [c for c in cards(doc) if "card" in c.get("class")]
    tiles = doc.findall(".//h:figure[@class='tile']", NS)
    assert len(found) + len(tiles) == len(people_run.run.files)
    statuses = [c.get("class").split()[1] for c in found]
    assert statuses == sorted(statuses, key=lambda s: {"fail": 0, "warn": 1, "info": 2}.get(s, 3))
    whole = texts(doc)
    for rule in ("V-RES", "A-BITRATE-CBR", "V-BITRATE", "P-UNIQUE", "P-COUNT", "V-READABLE"):
        assert rule in whole
    # every table has column headers; ids come from positions and are unique
    for table in doc.findall(".//h:table", NS):
        assert table.findall(".//h:th", NS)
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    # the overview lists every subject, each linking to its card
    overview = doc.find(".//h:table[@class='overview']", NS)
    links = overview.findall(".//h:a", NS)
    assert len(links) == len(people_run.run.files)
    assert {a.get("href")[1:] for a in links} <= set(ids)


def test_failing_rules_come_first_with_measured_expected_message_hint(pages):
    doc = parse(pages["en"])
    card = next(c for c in cards(doc) if "res_720p" in texts(c.find("h:h3", NS)))
    problems = card.find(".//h:table[@class='problems']", NS)
    first = problems.find("h:tbody/h:tr", NS)
    cells = [texts(td) for td in first]
    assert "FAIL" in cells[0] and cells[1].startswith("V-RES")
    assert "1280×720" in cells[3] and "1920×1080" in cells[4]
    advice = texts(problems.find("h:tbody/h:tr[@class='advice']", NS))
    assert "1280×720" in advice and "→" not in advice  # the arrow is CSS, the hint its own <p>
    assert card.find(".//h:p[@class='hint']", NS) is not None
    # the checks that passed follow, in one line
    assert "Checks passed" in texts(card.find(".//h:p[@class='passed']", NS))


def test_status_is_never_colour_alone(pages):
    doc = parse(pages["zh"])
    for badge in doc.findall(".//h:span[@class]", NS):
        cls = badge.get("class").split()
        if cls[0] in ("badge", "st"):
            assert texts(badge).strip()[0] in "✓!i✗"
            assert texts(badge).strip()[1:].strip()  # and the word


def test_everything_is_escaped(pages):
    for page in pages.values():
        doc = parse(page)
        assert doc.findall(".//h:script", NS) == []
        assert not any(e.get("onerror") for e in doc.iter())
        assert not [e for e in doc.iter() if e.tag.endswith("img") and e.get("src") == "x"]
        # the name is there, as text, on one line (its newline shown as \n)
        shown = EVIL.replace("\n", "\\n")
        assert shown in texts(doc)
    assert "&lt;script&gt;alert(1)" in pages["zh"]


def test_nothing_is_fetched_from_anywhere(pages):
    for page in pages.values():
        doc = parse(page)
        for e in doc.iter():
            for attr in ("src", "href", "action", "poster", "srcset", "data", "formaction"):
                value = e.get(attr)
                if value is None:
                    continue
                if attr == "src":
                    assert value.startswith("data:image/jpeg;base64,"), value[:40]
                else:
                    assert value.startswith("#"), (attr, value)
        # no URL at all but the SVG namespace, which names a vocabulary and loads nothing
        assert set(re.findall(r"https?://[^\"' )]+", page)) == {"http://www.w3.org/2000/svg"}
        assert "url(" not in page and "@import" not in page
        csp = doc.find(".//h:meta[@http-equiv='Content-Security-Policy']", NS).get("content")
        assert csp.startswith("default-src 'none'") and "img-src data:" in csp


def test_small(pages, people_run):
    # 5 videos (4 frames each), 5 photos, charts: previews dominate and stay small
    for page in pages.values():
        assert len(page.encode()) < 400_000
    uris = re.findall(r'src="(data:[^"]+)"', pages["zh"])
    assert uris and max(len(u) for u in uris) < 30_000


def test_video_chart_has_axes_units_band_and_marks(pages):
    doc = parse(pages["en"])
    card = next(c for c in cards(doc) if "audio_silence_gated" in texts(c.find("h:h3", NS)))
    svgs = card.findall(".//{http://www.w3.org/2000/svg}svg")
    assert len(svgs) == 2  # video and audio per-second bitrate
    for svg in svgs:
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
        labels = [texts(t) for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        assert "0:00" in labels and any(u in labels for u in ("Mbit/s", "kbit/s"))
        assert any(lab.startswith("time") for lab in labels)
        assert svg.find("{http://www.w3.org/2000/svg}rect[@class='band']") is not None
        assert svg.find("{http://www.w3.org/2000/svg}title") is not None
    audio = svgs[1]
    assert audio.findall("{http://www.w3.org/2000/svg}rect[@class='out']")  # the silent dips
    assert "kbit/s" in [texts(t) for t in audio.iter("{http://www.w3.org/2000/svg}text")]
    caption = texts(card.findall(".//h:figcaption", NS)[1])
    assert "outside the allowed band" in caption and "115.2 kbit/s – 140.8 kbit/s" in caption


def test_video_frames_and_the_unreadable_one(pages):
    doc = parse(pages["zh"])
    good = next(c for c in cards(doc) if "compliant" in texts(c.find("h:h3", NS)))
    frames = good.findall(".//h:div[@class='frames']/h:figure/h:img", NS)
    assert len(frames) == len(thumbs.VIDEO_FRAMES)
    assert all(f.get("alt") for f in frames)
    bad = next(c for c in cards(doc) if "text_as_mp4" in texts(c.find("h:h3", NS)))
    assert bad.find(".//h:div[@class='frames']", NS) is None
    assert "无法从文件中读取画面" in texts(bad)


def test_duplicate_group_side_by_side_and_text_count(pages):
    doc = parse(pages["zh"])
    case = next(c for c in cards(doc) if c.find(".//h:div[@class='group']", NS) is not None)
    assert texts(case.find("h:h3", NS)).endswith("案例")
    group = case.find(".//h:div[@class='group']", NS)
    names = [texts(f) for f in group.findall(".//h:figcaption", NS)]
    assert names == ["案例/活动照片1.jpg", "案例/活动照片5.jpg"]
    assert len(group.findall(".//h:img", NS)) == 2
    text = next(c for c in cards(doc) if "案例.docx" in texts(c.find("h:h3", NS)))
    counts = {
        texts(r[0]): texts(r[1]) for r in text.findall(".//h:table[@class='counts']//h:tr", NS)
    }
    assert counts["字数（按 Word 统计）"] == "32"
    assert int(counts["中文字符和朝鲜语单词"]) + int(counts["非中文单词"]) == 32
    # photos that passed are tiles with a preview each
    tiles = doc.findall(".//h:figure[@class='tile']", NS)
    assert len(tiles) == 5 and all(t.find("h:img", NS) is not None for t in tiles)


def test_listed_files_are_not_passes(pages):
    doc = parse(pages["zh"])
    listed = doc.find(".//h:section[@aria-labelledby='listed']", NS)
    assert "notes.xyz" in texts(listed) and "不代表合格" in texts(listed)


def test_no_ffmpeg_means_a_note_not_a_failure(people_run, monkeypatch, tmp_path):
    from mediacheck import tools

    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to run: ffmpeg is not found,
    monkeypatch.setitem(tools.WHEELS, "ffmpeg", lambda: None)  # not even the wheel's
    tools._lookup.cache_clear()
    video = next(r for r in people_run.run.files if "compliant" in r.path.name)
    run = RunResult("p", (video,))
    page = report_html.render(run, people_run.ctx("en"))
    assert "ffmpeg is not installed here" in texts(parse(page))


def test_a_file_gone_since_the_run_and_a_kind_with_no_section(tmp_path):
    gone = tmp_path / "gone.mp4"
    finding = Finding(
        gone, "X-RULE", "X-RULE", "error", FAIL, {"zh": "某项", "en": "Something"},
        Fact(3, "", "measured"), {"zh": "3", "en": "3"}, 1, {"zh": "≤ 1", "en": "≤ 1"},
        "at_most", message={"zh": "太多。", "en": "Too many."}, hint={"en": "Fewer."},
    )  # fmt: skip
    table = tmp_path / "统计表.xlsx"
    passed = Finding(table, "S-TABLE", "S-TABLE", "error", PASS, {"en": "Table"}, None,
                     {"en": "ok"}, None, {"en": "—"}, "equals")  # fmt: skip
    run = RunResult("p", (FileResult(gone, "video", (finding,)),
                          FileResult(table, "table", (passed,))))  # fmt: skip
    page = report_html.render(run, Ctx("en", tmp_path))
    doc = parse(page)
    whole = texts(doc)
    assert "X-RULE" in whole and "Too many." in whole and "Fewer." in whole
    assert "the file was not there" in whole
    assert "统计表.xlsx" in whole and "All 1 checks passed." in whole


def test_strict_is_said(people_run):
    page = report_html.render(people_run.run, people_run.ctx("en", strict=True),
                              previews=report_html.Previews())  # fmt: skip
    assert "Strict mode: warnings count as failures." in texts(parse(page))


def test_downsample_keeps_dips_and_spikes():
    series = [3.5e6] * 3600
    series[1234] = 0.5e6  # one second of near-silence
    series[2500] = 9e6
    points, step = chart.downsample(series)
    assert len(points) <= chart.MAX_POINTS and step > 1
    ys = [y for _, y in points]
    assert min(ys) == 0.5e6 and max(ys) == 9e6
    xs = [x for x, _ in points]
    assert xs == sorted(xs)


def test_an_hour_long_chart_is_small_and_labelled_in_hours():
    series = [3.5e6 + (i % 7) * 1e4 for i in range(3600)]
    drawn = chart.bitrate_chart(series, 3.5e6, 0.25, 10, "bit/s", "en", "c", "V")
    assert drawn is not None and len(drawn.svg) < 20_000
    assert "h:mm:ss" in drawn.svg and "1:00:00" in drawn.svg and "0:10:00" in drawn.svg


def test_photo_previews_are_upright_and_small(people_run):
    import base64
    from io import BytesIO

    from PIL import Image

    rotated = people_run.root / "案例" / "活动照片5.jpg"  # pixels turned + EXIF Orientation
    original = people_run.root / "案例" / "活动照片1.jpg"
    shots = [thumbs.photo_thumb(p) for p in (rotated, original)]
    sizes = [Image.open(BytesIO(base64.b64decode(s.split(",", 1)[1]))).size for s in shots]
    assert sizes[0] == sizes[1] and max(sizes[0]) <= max(thumbs.PHOTO_BOX)
    assert thumbs.photo_thumb(Path(__file__)) is None  # not an image: no preview, no error


def test_an_empty_run_says_so(tmp_path):
    page = report_html.render(RunResult("p", ()), Ctx("zh", tmp_path))
    assert "没有找到可检查的文件。" in texts(parse(page))
