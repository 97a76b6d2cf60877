"""Probers: one module per kind of input, each turning a file into Facts.

`KINDS` is the registry. A kind's module declares what it claims and what it finds:

- ``NAME``: the kind, as rules name it in ``applies_to``;
- ``FORMATS``: the content formats (`discover/sniff.py`'s names) it claims;
- ``FACTS``: every fact it may set, name -> unit (profiles are validated against it);
- ``probe(path, options) -> Facts``: never raises for a bad file (``Facts.error`` says why).

Kind modules import their heavy libraries inside ``probe()``, so that validating a
profile (which reads every kind's ``FACTS``) costs no Pillow or python-docx import.
Sets of subjects (a case) have the same declarations in `sets/`.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

KINDS: dict[str, str] = {
    "video": "mediacheck.probe.video",
    "photo": "mediacheck.probe.photo",
    "text": "mediacheck.probe.text",
    "table": "mediacheck.probe.table",
    "link": "mediacheck.probe.link",
}


def kind(name: str) -> ModuleType:
    """The module of one kind (imported on first use)."""
    return import_module(KINDS[name])
