"""Probers: one module per kind of input, each turning a file into Facts.

`KINDS` is the registry. A kind's module declares what it claims and what it finds:

- ``NAME``: the kind, as rules name it in ``applies_to``;
- ``FORMATS``: the content formats (`discover/sniff.py`'s names) it claims;
- ``FACTS``: every fact it may set, name -> unit (profiles are validated against it);
- ``probe(path, options) -> Facts``: never raises for a bad file (``Facts.error`` says why).

Validating a profile reads every kind's ``FACTS``, so where a kind's module is heavy
(Pillow, openpyxl, ssl) its ``FACTS`` live in a leaf module beside it, named in the
registry as the second entry: a `video` run then imports no table reader. Sets of
subjects (a case) have the same declarations in `sets/`.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

# kind -> (its module, the module declaring its FACTS)
KINDS: dict[str, tuple[str, str]] = {
    "video": ("mediacheck.probe.video", "mediacheck.probe.video_facts"),
    "photo": ("mediacheck.probe.photo", "mediacheck.probe.photo"),
    "text": ("mediacheck.probe.text", "mediacheck.probe.text_facts"),
    "table": ("mediacheck.probe.table", "mediacheck.probe.table_facts"),
    "link": ("mediacheck.probe.link", "mediacheck.probe.link_facts"),
}


def kind(name: str) -> ModuleType:
    """The module of one kind (imported on first use)."""
    return import_module(KINDS[name][0])


def facts(name: str) -> dict[str, str]:
    """One kind's facts, name -> unit, without importing its prober."""
    return import_module(KINDS[name][1]).FACTS
