"""MediaInfo in a process of its own: `python -I -S mediainfo_child.py SECONDS MB FILE LIB…`.

Run by path, never imported (probe/mediainfo.py starts it and knows its exit statuses):
the standard library only (no site, no mediacheck), so it starts in ~10 ms. It limits
itself first, then loads libmediainfo (the first of the LIB candidates that loads), reads
FILE with ParseSpeed=0 (by name; through MediaInfo's buffer API when the name is not
valid Unicode) and prints TEMPLATE's lines. Fuzzed index boxes make libmediainfo loop for
ever (a `tfra` count of 0xFFFFFFFF) or allocate gigabytes (`sgpd`, `trun`, `elst`): the
parent kills this process after SECONDS, and the limits below stop it on their own if
the parent is gone.

- Linux, BSD: RLIMIT_AS of MB (an allocation past it fails inside libmediainfo, which
  then gives up; its C API returns -1), RLIMIT_CPU of SECONDS + 1, no core file.
- Windows (no rlimit): a job object with a per-process memory limit of MB and a CPU time
  limit of SECONDS + 1; the parent's kill at SECONDS stands whatever happens here.
- macOS does not enforce RLIMIT_AS: there the parent's kill and RLIMIT_CPU bound it.

Exit status: 0 with the report on stdout; NO_LIBRARY when no candidate loads; FAILED
when MediaInfo could not read the file (an exception inside libmediainfo: out of memory
within the limit, or a file it cannot open).

With an empty FILE (`… SECONDS MB "" LIB…`) it serves file after file, so its start-up
(Python, ctypes, loading libmediainfo: ~45 ms, most of a short clip's check) is paid once
per worker, not per file: each request is a file name's bytes ended by NUL on stdin;
each answer is a status byte (0, or FAILED), the report's length (4 bytes, little
endian) and the report. Before each file the CPU limit is moved to what was used so far
plus SECONDS + 1, so it bounds each file as it bounds a single one; the memory limit is
the process's. EOF on stdin ends it (status 0); NO_LIBRARY before any answer.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

NO_LIBRARY = 3
FAILED = 4

# One line per stream: kind letter, then the fields probe/mediainfo.py reads. MediaInfo
# repeats a section for each stream of its kind; "\\n" in a section is its line break.
TEMPLATE = "\n".join((
    "General;G|%IsTruncated%|%IsStreamable%\\n",
    "Video;V|%FrameRate_Mode%|%BitRate_Nominal%|%ScanType%\\n",
    "Audio;A|%BitRate_Mode%|%BitRate_Nominal%|%BitRate%\\n",
))  # fmt: skip
BUFFER = 1 << 16
NO_SEEK = (1 << 64) - 1  # MediaInfo_Open_Buffer_Continue_GoTo_Get: read on
FINISHED = 0x08  # MediaInfo_Open_Buffer_Continue's "has all it wants" bit


def limit_posix(seconds: float, megabytes: int, serving: bool = False) -> None:
    import resource

    cpu = int(seconds) + 1
    for name, value in (("RLIMIT_AS", megabytes << 20), ("RLIMIT_CPU", cpu), ("RLIMIT_CORE", 0)):
        which = getattr(resource, name, None)
        if which is None or (serving and name == "RLIMIT_CPU"):
            continue  # serving: the CPU limit is set per file (next_file_cpu_limit)
        with contextlib.suppress(OSError, ValueError):  # macOS refuses some: the kill holds
            resource.setrlimit(which, (value, value))


def next_file_cpu_limit(seconds: float) -> None:
    """The CPU limit (soft; the hard one stays) at what this process used so far plus
    SECONDS + 1: SIGXCPU ends it should one file take longer."""
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + seconds) + 2
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def limit_windows(seconds: float, megabytes: int) -> None:
    """A job object around this process: JOBOBJECT_EXTENDED_LIMIT_INFORMATION with
    JOB_OBJECT_LIMIT_PROCESS_MEMORY and JOB_OBJECT_LIMIT_PROCESS_TIME."""
    from ctypes import wintypes

    class Basic(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64),
                    ("PerJobUserTimeLimit", ctypes.c_int64), ("LimitFlags", wintypes.DWORD),
                    ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t),
                    ("ActiveProcessLimit", wintypes.DWORD), ("Affinity", ctypes.c_size_t),
                    ("PriorityClass", wintypes.DWORD),
                    ("SchedulingClass", wintypes.DWORD)]  # fmt: skip

    class Extended(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", Basic), ("IoInfo", ctypes.c_uint64 * 6),
                    ("ProcessMemoryLimit", ctypes.c_size_t),
                    ("JobMemoryLimit", ctypes.c_size_t),
                    ("PeakProcessMemoryUsed", ctypes.c_size_t),
                    ("PeakJobMemoryUsed", ctypes.c_size_t)]  # fmt: skip

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, wintypes.LPCWSTR]
    kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int,
                                                 ctypes.c_void_p, wintypes.DWORD]  # fmt: skip
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
    info = Extended()
    info.BasicLimitInformation.LimitFlags = 0x100 | 0x2  # process memory, process time
    info.BasicLimitInformation.PerProcessUserTimeLimit = int((seconds + 1) * 10_000_000)
    info.ProcessMemoryLimit = megabytes << 20
    job = kernel32.CreateJobObjectW(None, None)
    extended_limit_information = 9
    if job and kernel32.SetInformationJobObject(
        job, extended_limit_information, ctypes.byref(info), ctypes.sizeof(info)
    ):
        kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess())


def load(candidates: list[str]) -> ctypes.CDLL | None:
    """The first candidate that loads, its functions typed; None when none does."""
    kind = getattr(ctypes, "WinDLL", ctypes.CDLL) if os.name == "nt" else ctypes.CDLL
    for name in candidates:
        try:
            lib = kind(name)
        except OSError:
            continue
        v, s, w, u64 = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_wchar_p, ctypes.c_uint64
        for fn, args, res in (
            ("MediaInfo_New", [], v),
            ("MediaInfo_Option", [v, w, w], w),
            ("MediaInfo_Inform", [v, s], w),
            ("MediaInfo_Open", [v, w], s),
            ("MediaInfo_Open_Buffer_Init", [v, u64, u64], s),
            ("MediaInfo_Open_Buffer_Continue", [v, ctypes.c_char_p, s], s),
            ("MediaInfo_Open_Buffer_Continue_GoTo_Get", [v], u64),
            ("MediaInfo_Open_Buffer_Finalize", [v], s),
            ("MediaInfo_Close", [v], None),
            ("MediaInfo_Delete", [v], None),
        ):
            getattr(lib, fn).argtypes = args
            getattr(lib, fn).restype = res
        return lib
    return None


def report(lib: ctypes.CDLL, path: str) -> str | None:
    """MediaInfo's TEMPLATE report of the file; None when MediaInfo gave up."""
    handle = lib.MediaInfo_New()
    try:
        return _report(lib, handle, path)
    finally:  # a serving process reads many files: each one's memory goes back
        lib.MediaInfo_Close(handle)
        lib.MediaInfo_Delete(handle)


def _report(lib: ctypes.CDLL, handle: int, path: str) -> str | None:
    lib.MediaInfo_Option(handle, "ParseSpeed", "0")  # the headers, not the media data
    lib.MediaInfo_Option(handle, "Inform", TEMPLATE)
    failed = (1 << (8 * ctypes.sizeof(ctypes.c_size_t))) - 1  # the C API's (size_t)-1
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in a POSIX name: MediaInfo cannot open it
        status = read_through_buffers(lib, handle, path, failed)
    else:
        # by name, as pymediainfo and the mediainfo program do: MediaInfo's own reader
        # looks further into small files than its buffer API does (MBAFF, x264's rate)
        status = lib.MediaInfo_Open(handle, path)
    if status in (0, failed):
        return None
    text: str = lib.MediaInfo_Inform(handle, 0) or ""
    return text


def read_through_buffers(lib: ctypes.CDLL, handle: int, path: str, failed: int) -> int:
    """The file fed to MediaInfo's buffer API (seeking where it asks); MediaInfo_Open's
    status: 1 read, `failed` when MediaInfo gave up."""
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(0)
        if lib.MediaInfo_Open_Buffer_Init(handle, size, 0) == failed:
            return failed
        while chunk := fh.read(BUFFER):
            status = lib.MediaInfo_Open_Buffer_Continue(handle, chunk, len(chunk))
            if status == failed:
                return failed
            if status & FINISHED:
                break
            seek = lib.MediaInfo_Open_Buffer_Continue_GoTo_Get(handle)
            if seek != NO_SEEK:
                fh.seek(seek)
                if lib.MediaInfo_Open_Buffer_Init(handle, size, fh.tell()) == failed:
                    return failed
    result: int = lib.MediaInfo_Open_Buffer_Finalize(handle)
    return 1 if result != failed else failed


def main(argv: list[str]) -> int:
    seconds, megabytes, path, candidates = float(argv[1]), int(argv[2]), argv[3], argv[4:]
    serving = path == ""
    try:
        if os.name == "nt":
            limit_windows(seconds, megabytes)
        else:
            limit_posix(seconds, megabytes, serving)
    except Exception:  # noqa: BLE001, S110 (a limit not set leaves the parent's kill)
        pass
    lib = load(candidates)
    if lib is None:
        return NO_LIBRARY
    if serving:
        return serve(lib, seconds)
    try:
        text = report(lib, path)
    except (OSError, MemoryError):
        return FAILED
    if text is None:
        return FAILED
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    return 0


def serve(lib: ctypes.CDLL, seconds: float) -> int:
    """File after file from stdin (see the module's docstring), until EOF."""
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    pending = b""
    while True:
        while b"\0" not in pending:
            more = requests.read1(1 << 16)
            if not more:
                return 0
            pending += more
        name, _, pending = pending.partition(b"\0")
        next_file_cpu_limit(seconds)
        try:
            text = report(lib, os.fsdecode(name))
        except (OSError, MemoryError):
            text = None
        data = b"" if text is None else text.encode("utf-8", "replace")
        status = FAILED if text is None else 0
        answers.write(bytes([status]) + len(data).to_bytes(4, "little") + data)
        answers.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
