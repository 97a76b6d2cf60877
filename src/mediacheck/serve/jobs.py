"""Jobs of `mediacheck serve`: one per upload, each in its own folder and worker thread.

A job's folder holds only its uploaded files and is removed as soon as the report is
made (the report lives on in memory for the page to show and download), when the job
fails, when it is cancelled, and when the server stops. A page polls its job; a job
whose page has stopped polling for `abandon_after` seconds (a closed tab, a crashed
browser) is cancelled, and a finished job's report is dropped after `keep_for` seconds.
Two tabs are two jobs: nothing is shared between them but the worker pool.
"""

from __future__ import annotations

import hmac
import secrets
import shutil
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediacheck.model import RunResult
from mediacheck.profile import Profile
from mediacheck.report import ReportContext
from mediacheck.report.common import Listed
from mediacheck.serve import dispatch
from mediacheck.tools import ToolMissing
from mediacheck.words.catalogue import say as say_ui
from mediacheck.words.serve import console, error_text

UPLOADING, QUEUED, RUNNING, REPORTING, DONE, FAILED, CANCELLED = (
    "uploading", "queued", "running", "reporting", "done", "failed", "cancelled",
)  # fmt: skip


KEEP_FINISHED = 50  # reports kept for their pages (each a few MB at most)


@dataclass
class Job:
    id: str
    token: str  # the page that made it; every later request must show it
    folder: Path
    lang: str
    state: str = UPLOADING  # the reaper leaves an upload alone: the request is its heartbeat
    done: int = 0
    total: int = 0
    message: str = ""
    seen: float = field(default_factory=time.monotonic)
    finished: float | None = None
    report: str | None = None  # the HTML report, made while the files were there
    run: RunResult | None = None
    listed: list[Listed] = field(default_factory=list)
    cancel: threading.Event = field(default_factory=threading.Event)

    def owned_by(self, token: str) -> bool:
        return hmac.compare_digest(self.token.encode(), token.encode())

    def status(self) -> dict[str, Any]:
        out: dict[str, Any] = {"state": self.state, "done": self.done, "total": self.total}
        if self.message:
            out["message"] = self.message
        if self.run is not None:
            out["summary"] = {
                "files": len(self.run.files),
                "failed": self.run.count("fail"),
                "warned": self.run.count("warn"),
                "rules": sorted(
                    {
                        f.rule_id
                        for r in self.run.files
                        for f in r.findings
                        if f.status in ("fail", "warn")
                    }
                ),  # fmt: skip
            }
        return out


@dataclass
class Settings:
    profile: Profile
    lang: str
    base: Path  # the server's temporary folder; each job a folder inside
    workers: int = 2
    abandon_after: float = 45.0
    keep_for: float = 3600.0
    max_jobs: int = 20


class Jobs:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="job")
        self._stop = threading.Event()
        self._reaper = threading.Thread(target=self._reap, name="reaper", daemon=True)
        self._reaper.start()

    # ---- life cycle
    def new(self, token: str, lang: str) -> Job:
        with self.lock:
            live = [j for j in self.jobs.values()
                    if j.state in (UPLOADING, QUEUED, RUNNING, REPORTING)]  # fmt: skip
            if len(live) >= self.settings.max_jobs:
                raise OverflowError("busy")
            finished = sorted((j for j in self.jobs.values() if j.finished is not None),
                              key=lambda j: j.finished or 0.0)  # fmt: skip
            for old in finished[: max(0, len(finished) - KEEP_FINISHED)]:
                self.jobs.pop(old.id, None)  # their reports are in memory only: bound them
            job_id = secrets.token_urlsafe(12)
            folder = self.settings.base / f"job-{job_id}"
            folder.mkdir(mode=0o700)
            job = Job(job_id, token, folder, lang)
            self.jobs[job_id] = job
            return job

    def start(self, job: Job) -> None:
        job.state, job.seen = QUEUED, time.monotonic()
        self.pool.submit(self._run, job)

    def get(self, job_id: str, token: str) -> Job | None:
        with self.lock:
            job = self.jobs.get(job_id)
        if job is None or not job.owned_by(token):
            return None
        job.seen = time.monotonic()
        return job

    def cancel(self, job: Job) -> None:
        job.cancel.set()
        if job.state in (QUEUED, DONE, FAILED):
            self._forget(job)

    def discard(self, job: Job) -> None:
        """A job whose upload was refused: gone, folder and all."""
        self._remove_files(job)
        with self.lock:
            self.jobs.pop(job.id, None)

    def shutdown(self) -> None:
        self._stop.set()
        for job in list(self.jobs.values()):
            job.cancel.set()
        self.pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.settings.base, ignore_errors=True)

    # ---- the work
    def _run(self, job: Job) -> None:
        from mediacheck.report import html

        try:
            if job.cancel.is_set():
                raise dispatch.Cancelled
            job.state = RUNNING

            def progress(done: int, total: int) -> None:
                job.done, job.total = done, total

            run, listed = dispatch.check_folder(
                job.folder, self.settings.profile, progress, job.cancel.is_set
            )
            if job.cancel.is_set():
                raise dispatch.Cancelled
            job.state = REPORTING
            ctx = ReportContext(job.lang, job.folder, self.settings.profile, False, tuple(listed))
            previews = html.gather(run, self.settings.profile, stop=job.cancel.is_set)
            job.report = html.render(run, ctx, previews=previews)
            job.run, job.listed = run, listed
            if job.cancel.is_set():
                raise dispatch.Cancelled
            job.state = DONE
        except (dispatch.Cancelled, html.Stopped):
            job.state = CANCELLED
        except ToolMissing as exc:
            job.state, job.message = FAILED, say_ui("tool_missing", job.lang, tool=exc.tool)
        except Exception as exc:  # one batch's crash is its own; the server goes on
            if job.cancel.is_set():  # its files went from under it (a stop): not a crash
                job.state = CANCELLED
                return
            traceback.print_exc(file=sys.stderr)
            detail = f"{type(exc).__name__}: {exc}"[:300]
            job.state, job.message = FAILED, error_text("crashed", job.lang, detail=detail)
        finally:
            job.finished = time.monotonic()
            self._remove_files(job)
            if job.state == CANCELLED:
                self._forget(job)
                print(console("cancelled", job.lang), file=sys.stderr, flush=True)

    # ---- cleaning up
    def _remove_files(self, job: Job) -> None:
        shutil.rmtree(job.folder, ignore_errors=True)

    def _forget(self, job: Job) -> None:
        self._remove_files(job)
        with self.lock:
            self.jobs.pop(job.id, None)

    def _reap(self) -> None:
        while not self._stop.wait(min(5.0, self.settings.abandon_after / 3)):
            now = time.monotonic()
            for job in list(self.jobs.values()):
                if job.state in (QUEUED, RUNNING, REPORTING):
                    if now - job.seen > self.settings.abandon_after:
                        job.cancel.set()  # the worker stops at its next file and cleans up
                elif job.finished is not None and now - job.finished > self.settings.keep_for:
                    self._forget(job)  # the report too: a page left open a day is not a store
