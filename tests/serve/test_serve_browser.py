"""`mediacheck serve` driven in a real headless Chromium as a clerk would use it: pick a
lesson, a folder, or drop a file; watch it; read the verdict; download the report."""

from __future__ import annotations

import io
import os
import re
import shutil
import time
from pathlib import Path

import openpyxl
from chromium_helper import chromium

DONE_MS = 240_000  # a loaded CI machine; the page says when it is done, we only wait


def keep(path: Path, name: str) -> None:
    folder = os.environ.get("MEDIACHECK_KEEP_SCREENSHOTS")
    if folder:  # for a person to look at
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / name)


def test_a_clerk_picks_a_lesson_sees_the_verdict_and_downloads_the_report(serve, media, tmp_path):
    server = serve("--lang", "zh")
    lesson = Path(shutil.copy(media("res_720p"), tmp_path / "第一课 智能手机入门.mp4"))
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 1000}, accept_downloads=True)
        outside: list[str] = []
        page.on("request", lambda r: r.url.startswith(server.url) or outside.append(r.url))
        page.goto(server.url)
        assert "mediacheck 本机检查" in page.inner_text("h1")
        page.set_input_files("#files", str(lesson))
        assert "已选择 1 个文件" in page.inner_text("#chosen")
        page.click("#start")
        page.wait_for_selector("#result:not([hidden])", timeout=DONE_MS)
        assert "检查完成" in page.inner_text("#status")
        report = page.frame_locator("#frame")
        report.locator("h1").wait_for()
        text = report.locator("body").inner_text()
        assert "V-RES" in text and "不合格" in text and "第一课 智能手机入门.mp4" in text
        shot = tmp_path / "serve.png"
        page.screenshot(path=str(shot), full_page=False)
        keep(shot, "serve-page.png")
        with page.expect_download() as download:
            page.click("#dl-html")
        saved = tmp_path / "report.html"
        download.value.save_as(saved)
        assert download.value.suggested_filename == "mediacheck-报告.html"
        html = saved.read_text("utf-8")
        assert html.startswith("<!DOCTYPE html>") and "V-RES" in html and "1280×720" in html
        with page.expect_download() as download:
            page.click("#dl-xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
        assert [c.value for c in sheet[1]][:3] == ["文件/对象", "类型", "结果"]
        assert any(row[3] == "V-RES" for row in sheet.iter_rows(min_row=2, values_only=True))
        assert outside == []  # the page and the report asked nothing of any other server
    assert server.job_folders() == []  # the upload is gone; the report lives in memory


def test_a_folder_picked_is_checked_as_a_case(serve, tmp_path):
    import make_photos

    server = serve("--lang", "zh")
    case = tmp_path / "街道案例"
    shutil.copytree(make_photos.get("case"), case)
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url)
        page.set_input_files("#folder", str(case))  # <input webkitdirectory>: the folder
        page.click("#start")
        page.wait_for_selector("#result:not([hidden])", timeout=DONE_MS)
        text = page.frame_locator("#frame").locator("body").inner_text()
        assert "P-UNIQUE" in text and "P-COUNT" in text
        assert "街道案例/活动照片1.jpg" in text and "街道案例/活动照片5.jpg" in text
        assert "内容重复的照片" in text


def test_a_unit_folder_picked_is_checked_as_its_submission(serve, tmp_path):
    import make_photos

    from mediacheck.demo.template import write_template
    from mediacheck.profile import load_profile

    server = serve("--lang", "zh")
    unit = tmp_path / "长寿路街道"
    write_template(unit, load_profile())
    shutil.copytree(make_photos.get("case"), unit / "案例", dirs_exist_ok=True)
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url)
        page.set_input_files("#folder", str(unit))
        page.click("#start")
        page.wait_for_selector("#result:not([hidden])", timeout=DONE_MS)
        text = page.frame_locator("#frame").locator("body").inner_text()
        # the unit's own subject after its parts' (the table, the summary, the case)
        assert "SUB-TABLE" in text and "T-SUMMARY-FOUND" in text and "SUB-CASE" in text
        assert "长寿路街道/统计表.xlsx" in text and "长寿路街道/案例/活动照片1.jpg" in text


def test_a_dropped_file_is_checked(serve):
    server = serve("--lang", "en")
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url)
        # what a drop delivers: a DataTransfer holding a File, dispatched on the drop zone
        page.evaluate(
            """() => {
              const dt = new DataTransfer();
              dt.items.add(new File(["社区案例：老年人学会了用手机挂号。"], "case.txt",
                                    {type: "text/plain"}));
              const zone = document.getElementById("drop");
              zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
            }"""
        )
        page.wait_for_selector("#start:enabled")
        page.click("#start")
        page.wait_for_selector("#result:not([hidden])", timeout=DONE_MS)
        text = page.frame_locator("#frame").locator("body").inner_text()
        assert "case.txt" in text and "pass" in text and "字数" in text


def test_two_tabs_at_once(serve, media, tmp_path):
    server = serve("--lang", "en")
    a = Path(shutil.copy(media("res_720p"), tmp_path / "tab-a.mp4"))
    b = Path(shutil.copy(media("compliant"), tmp_path / "tab-b.mp4"))
    with chromium() as browser:
        context = browser.new_context()
        pages = [context.new_page(), context.new_page()]
        for page, lesson in zip(pages, (a, b), strict=True):
            page.goto(server.url)
            page.set_input_files("#files", str(lesson))
        for page in pages:
            page.click("#start")
        texts = []
        for page in pages:
            page.wait_for_selector("#result:not([hidden])", timeout=DONE_MS)
            texts.append(page.frame_locator("#frame").locator("body").inner_text())
    assert "tab-a.mp4" in texts[0] and "tab-b.mp4" not in texts[0] and "V-RES" in texts[0]
    assert "tab-b.mp4" in texts[1] and "tab-a.mp4" not in texts[1] and "FAIL" not in texts[1]


def test_closing_the_tab_mid_run_cancels_and_cleans_up(serve, media, tmp_path):
    server = serve("--lang", "zh", "--abandon-after", "30")
    # 48 lessons: probed in a second, then 4 frames of each cut by ffmpeg for the report,
    # which takes a while; the tab is closed during that
    lessons = [Path(shutil.copy(media("compliant"), tmp_path / f"{i:02d}.mp4")) for i in range(48)]
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url)
        page.set_input_files("#files", [str(p) for p in lessons])
        page.click("#start")
        # (the page's CSP forbids eval, so Playwright's wait_for_function cannot run there)
        page.locator("#status").filter(has_text=re.compile("正在生成报告")).wait_for(
            timeout=DONE_MS
        )
        assert server.job_folders()  # the files are there: the run is under way
        page.close()  # pagehide: the page asks the server to cancel (a beacon)
        end = time.monotonic() + 120
        while (server.job_folders() or "已取消" not in server.stderr()) and time.monotonic() < end:
            time.sleep(0.2)
    assert server.job_folders() == []
    assert "已取消一次检查" in server.stderr()
    assert server.request("GET", "/")[0] == 200  # the server carries on
