"""Sets of subjects (a case folder) get facts computed from their members' facts.

`SETS` is the registry; each set's module declares ``NAME`` and ``FACTS`` like a kind
(probe/__init__.py), and computes its facts from the members' (pure).
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

SETS: dict[str, str] = {
    "case": "mediacheck.sets.case",
}


def kind(name: str) -> ModuleType:
    return import_module(SETS[name])
