"""The HTML report opened in a real headless Chromium: it shows the verdicts, asks the
network for nothing, and prints (a PDF)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from chromium_helper import chromium

from mediacheck.report import html as report_html


def test_report_in_chromium_shows_verdicts_fetches_nothing_and_prints(people_run, tmp_path):
    page_file = tmp_path / "报告.html"
    page_file.write_text(report_html.render(people_run.run, people_run.ctx("zh")), "utf-8")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append("dialog " + d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        text = page.inner_text("body")
        assert "mediacheck 检查报告" in text
        assert "不合格" in text and "通过" in text and "V-RES" in text
        assert page.locator("section.card").count() >= 5
        assert page.locator("svg.chart").count() >= 2
        # every preview decoded (a data: URI with a broken JPEG shows as 0×0)
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        assert widths and min(widths) > 0
        # the evil file name is text, and nothing ran
        assert "alert(1)" in text and errors == []
        assert requests == [page_file.as_uri()]
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert shot.stat().st_size > 50_000
    keep = os.environ.get("MEDIACHECK_KEEP_SCREENSHOTS")
    if keep:  # for a person to look at: MEDIACHECK_KEEP_SCREENSHOTS=/some/folder
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "html-report.png")
        (Path(keep) / "html-report.pdf").write_bytes(pdf)
