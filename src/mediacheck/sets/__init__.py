"""Sets of subjects (a case folder, a unit's submission, a district) get facts computed
from their members' facts.

`SETS` is the registry: set -> (module, the name of its facts table). Each set's module
declares its facts like a kind (probe/__init__.py), and computes them from the members'.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

SETS: dict[str, tuple[str, str]] = {
    "case": ("mediacheck.sets.case", "FACTS"),
    "course": ("mediacheck.sets.courses", "FACTS"),
    "course_list": ("mediacheck.sets.courses", "LIST_FACTS"),
    "submission": ("mediacheck.sets.submission_facts", "FACTS"),  # a unit's submission (#10)
    "district": ("mediacheck.sets.submission_facts", "DISTRICT_FACTS"),
}


def kind(name: str) -> ModuleType:
    return import_module(SETS[name][0])


def facts(name: str) -> dict[str, str]:
    module, table = SETS[name]
    return getattr(import_module(module), table)
