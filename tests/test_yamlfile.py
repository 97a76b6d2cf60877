"""yamlfile: the one policy for the YAML people write (profiles, configs, course lists)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from mediacheck import yamlfile
from mediacheck.discover.config import ConfigError, load_config
from mediacheck.profile import ProfileError, load_profile
from mediacheck.yamlfile import YamlFileError


def laughs(key: str = "clauses") -> str:
    lines = [f"{key}:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def code_of(fn) -> str:
    with pytest.raises(YamlFileError) as caught:
        fn()
    return caught.value.code


def test_a_fifo_is_never_opened_for_reading(tmp_path):
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    out: list[str] = []
    worker = threading.Thread(target=lambda: out.append(code_of(lambda: yamlfile.load(fifo))),
                              daemon=True)  # fmt: skip
    worker.start()
    worker.join(60)  # a guard against a hang, not a timed assertion
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("blocked on the FIFO")
    assert out == ["not_regular"]


def test_the_limits(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" * 300_000)
    assert code_of(lambda: yamlfile.load(big)) == "too_large"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: é\n".encode("latin-1"))
    assert code_of(lambda: yamlfile.load(latin)) == "not_utf8"
    assert code_of(lambda: yamlfile.parse(laughs())) == "aliases"
    assert code_of(lambda: yamlfile.parse("a: " + "[" * 100_000)) == "syntax"
    assert yamlfile.parse("a: &x 1\nb: *x\n") == {"a": 1, "b": 1}  # a few references are fine


def test_a_billion_laughs_profile_is_a_clear_error(tmp_path):
    prof = tmp_path / "bomb.yaml"
    prof.write_text("extends: shanghai-2024\n" + laughs(), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(str(prof))
    assert "more than 50" in caught.value.text("en") and "超过上限 50" in caught.value.text("zh")


def test_a_fifo_profile_or_config_is_said_as_such(tmp_path):
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ProfileError) as caught:
        load_profile(str(fifo))
    assert "not a regular file" in caught.value.text("en")
    with pytest.raises(ConfigError) as caught:
        load_config(Path(fifo))
    assert "不是普通文件" in caught.value.text("zh")
