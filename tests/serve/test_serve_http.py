"""`mediacheck serve` as a plain HTTP client sees it: who may talk to it, what it
refuses, and that nothing is ever written outside its temporary folder."""

from __future__ import annotations

import json
import re
import socket
import threading
import time

from serve_helpers import multipart


def test_page_is_one_self_contained_document(serve):
    server = serve()
    status, headers, body = server.request("GET", "/")
    assert status == 200
    page = body.decode()
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'nonce-" in csp
    assert "connect-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert 'type="file" multiple webkitdirectory' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN, no font
    assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"


def test_a_foreign_host_is_refused_dns_rebinding(serve):
    server = serve()
    for host in ("evil.example", f"evil.example:{server.port}", f"127.0.0.1:{server.port + 1}",
                 f"127.0.0.1.evil.example:{server.port}", ""):  # fmt: skip
        status, _, body = server.request("GET", "/", headers={"Host": host})
        assert status == 403, host
        assert "拒绝访问" in body.decode() and "Refused" in body.decode()
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        assert server.request("GET", "/", headers={"Host": host})[0] == 200


def test_a_request_from_another_origin_is_refused_and_writes_nothing(serve, media):
    server = serve()
    token = server.token()
    lesson = media("compliant").read_bytes()
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                    {"Origin": f"http://127.0.0.1:{server.port + 1}"},
                    {"Sec-Fetch-Site": "cross-site"}):  # fmt: skip
        status, answer = server.upload(token, [(b"lesson.mp4", lesson)], headers)
        assert status == 403, headers
    assert server.job_folders() == []
    # same origin: accepted
    origin = {"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"}
    status, answer = server.upload(token, [(b"lesson.mp4", lesson)], origin)
    assert status == 201, answer
    assert server.wait_done(token, answer["job"])["state"] == "done"


def test_no_token_no_job(serve, media):
    server = serve()
    status, answer = server.upload("made-up", [(b"a.mp4", b"x")])
    assert status == 403 and "刷新" in answer["error"]
    token = server.token()
    status, answer = server.upload(token, [(b"a.mp4", media("compliant").read_bytes())])
    job = answer["job"]
    other = server.token()  # another tab: its token does not open this tab's job
    assert server.status(other, job)[0] == 404
    assert server.request("GET", f"/jobs/{job}/report?token={other}")[0] == 404
    server.wait_done(token, job)


def test_an_empty_upload_and_a_zero_byte_file(serve):
    server = serve()
    token = server.token()
    body, ctype = multipart([])
    status, _, data = server.request("POST", "/api/jobs?lang=zh", body,
                                     {"Content-Type": ctype, "X-MC-Token": token})  # fmt: skip
    assert status == 400 and "没有收到任何文件" in json.loads(data)["error"]
    status, answer = server.upload(token, [(b"empty.mp4", b"")])
    assert status == 201
    state = server.wait_done(token, answer["job"])
    assert state["state"] == "done" and state["summary"]["failed"] == 1
    report = server.report(token, answer["job"]).decode()
    assert "文件是空的（0 字节）" in report and "V-READABLE" in report


def test_a_declared_huge_upload_is_refused_before_a_byte_is_read(serve):
    server = serve()  # the default cap: 4 GB
    token = server.token()
    conn = server.conn()
    conn.putrequest("POST", "/api/jobs?lang=zh")
    conn.putheader("X-MC-Token", token)
    conn.putheader("Content-Type", "multipart/form-data; boundary=b")
    conn.putheader("Content-Length", str(20 * 1024**3))
    conn.endheaders()  # 20 GB promised, not a byte sent
    resp = conn.getresponse()
    answer = f"HTTP/1.1 {resp.status}\n" + resp.read().decode()
    conn.close()
    assert answer.startswith("HTTP/1.1 413")
    assert "超过上限 4 GB" in answer
    assert server.job_folders() == []


def test_a_body_streamed_past_the_cap_is_cut_off(serve):
    server = serve("--max-upload", "1MB")
    token = server.token()
    sent = 0
    total = 64 * 1024 * 1024
    chunk = b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.mp4"\r\n\r\n'
    chunk += b"\0" * (256 * 1024 - len(chunk))
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.sendall(
            f"POST /api/jobs?lang=zh HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"X-MC-Token: {token}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
            .encode()
        )  # fmt: skip
        try:
            while sent < total:
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
                chunk = b"\0" * len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: what this test wants
        sock.settimeout(60)
        try:
            answer = sock.recv(65536).decode(errors="replace")
        except ConnectionResetError:
            answer = ""
    assert sent < total  # refused long before the 64 MB were through
    assert answer == "" or answer.startswith("HTTP/1.1 413")
    assert server.job_folders() == []
    assert not list(server.tmp.rglob("big.mp4"))


def test_the_per_file_cap(serve):
    server = serve("--max-upload", "10MB", "--max-file", "100KB")
    token = server.token()
    status, answer = server.upload(token, [(b"ok.txt", b"fine"), (b"big.mp4", b"\0" * 200_000)])
    assert status == 413 and "big.mp4" in answer["error"] and "100 KB" in answer["error"]
    assert server.job_folders() == []


def test_unsafe_names_stay_inside_the_job_folder(serve, media, tmp_path):
    server = serve()
    token = server.token()
    lesson = media("compliant").read_bytes()
    names = [b"../../escaped.mp4", b"/etc/abs.mp4", b"a\x00b.mp4", b"C:\\Users\\x\\win.mp4",
             b"CON.mp4", b"..", "案例/../../活动.mp4".encode()]  # fmt: skip
    status, answer = server.upload(token, [(n, lesson) for n in names])
    assert status == 201, answer
    state = server.wait_done(token, answer["job"])
    assert state["summary"]["files"] == len(names)
    report = server.report(token, answer["job"], "csv").decode("utf-8-sig")
    shown = [line.split(",")[0] for line in report.splitlines()[1:]]
    # (a Windows full path keeps only its last part: python-multipart reads it as the
    # full path old Internet Explorer sent)
    assert sorted(shown) == sorted(["escaped.mp4", "etc/abs.mp4", "a_b.mp4", "win.mp4",
                                    "_CON.mp4", "unnamed", "案例/活动.mp4"])  # fmt: skip
    # nothing landed beside the server's folder or anywhere up the tree
    assert (
        not list(tmp_path.rglob("escaped.mp4")) and not (tmp_path.parent / "escaped.mp4").exists()
    )


def test_two_tabs_at_once_are_independent_jobs(serve, media):
    server = serve()
    tabs = {"a": server.token(), "b": server.token()}
    files = {"a": ("720p.mp4", media("res_720p")), "b": ("good.mp4", media("compliant"))}
    jobs: dict[str, str] = {}

    def go(tab: str) -> None:
        name, path = files[tab]
        status, answer = server.upload(tabs[tab], [(name.encode(), path.read_bytes())])
        assert status == 201
        jobs[tab] = answer["job"]

    threads = [threading.Thread(target=go, args=(t,)) for t in tabs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    states = {t: server.wait_done(tabs[t], jobs[t]) for t in tabs}
    assert states["a"]["summary"]["rules"] == ["V-RES"]
    assert states["b"]["summary"]["failed"] == 0
    a = server.report(tabs["a"], jobs["a"]).decode()
    b = server.report(tabs["b"], jobs["b"]).decode()
    assert "720p.mp4" in a and "good.mp4" not in a
    assert "good.mp4" in b and "720p.mp4" not in b
    assert server.job_folders() == []  # each job's files went when its report was made


def busy_job(server, media, copies: int = 16) -> tuple[str, str]:
    """A job that takes a while: many lessons, each probed, then four frames of each cut
    by ffmpeg for the report."""
    token = server.token()
    lesson = media("compliant").read_bytes()
    status, answer = server.upload(token, [(f"课/{i:02d}.mp4".encode(), lesson)
                                           for i in range(copies)])  # fmt: skip
    assert status == 201
    return token, answer["job"]


def test_a_page_that_stops_polling_has_its_job_cancelled(serve, media):
    server = serve("--abandon-after", "1")
    token, job = busy_job(server, media)
    end = time.monotonic() + 120
    while server.job_folders() and time.monotonic() < end:
        time.sleep(0.2)  # watching the disk, not asking the server (that would be a poll)
    assert server.job_folders() == []
    while "已取消一次检查" not in server.stderr() and time.monotonic() < end:
        time.sleep(0.2)
    assert "已取消一次检查（页面已关闭）" in server.stderr()
    assert server.status(token, job)[0] == 404  # gone, report and all
    assert server.request("GET", "/")[0] == 200  # and the server is fine


def test_ctrl_c_mid_run_removes_everything(serve, media):
    server = serve()
    token, job = busy_job(server, media)
    assert server.job_folders()
    code = server.stop()
    assert code == 0
    assert not server.tmp.exists()


def test_a_units_zip_is_checked_as_its_submission(serve, tmp_path):
    import shutil

    import make_photos

    from mediacheck.demo.template import write_template
    from mediacheck.profile import load_profile

    unit = tmp_path / "长寿路街道"
    write_template(unit, load_profile())
    shutil.copytree(make_photos.get("case"), unit / "案例", dirs_exist_ok=True)
    zipped = shutil.make_archive(str(tmp_path / "长寿路街道"), "zip", tmp_path, "长寿路街道")
    server = serve()
    token = server.token("en")
    with open(zipped, "rb") as fh:
        status, answer = server.upload(token, [("长寿路街道.zip".encode(), fh.read())], lang="en")
    assert status == 201
    state = server.wait_done(token, answer["job"])
    assert state["state"] == "done", state
    report = server.report(token, answer["job"]).decode()
    assert "SUB-TABLE" in report and "SUB-ARCHIVE" in report and "SUB-PARTS" in report
    assert "长寿路街道.zip!/长寿路街道/案例/活动照片1.jpg" in report  # as the zip names them
    assert server.job_folders() == []
