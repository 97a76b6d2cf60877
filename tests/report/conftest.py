"""Fixtures for the reports for people (HTML, CSV, XLSX)."""

from __future__ import annotations

import pytest
from people_helpers import PeopleRun, build


@pytest.fixture(scope="session")
def people_run(media, tmp_path_factory) -> PeopleRun:
    return build(media, tmp_path_factory.mktemp("people"))
