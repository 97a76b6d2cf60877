"""S-SEAL: is a table (or its copy) digitally signed — the form an electronic seal
(电子章) takes in a file — and unchanged since it was signed?

Whether a seal is *genuine* (a valid certificate, the unit's own seal) is not decided
here: that needs the issuer's trust chain, which only the signing software and the
platform have. Every message says so.

- **PDF**: a bounded byte scan for signature dictionaries (``/ByteRange [a b c d]``, the
  gap between the two ranges being ``/Contents <…>``). *Unchanged* means the last
  signature's ranges cover the whole file except its own ``/Contents`` (nothing was
  appended after signing) and, when the signature is a CMS/PKCS#7 blob (adbe.pkcs7 /
  ETSI.CAdES), that its signed ``messageDigest`` equals the digest of those byte ranges
  (nothing inside was edited). A scan is all this needs: a PDF library would parse the
  whole object graph to find the same two numbers, and pyHanko would add a crypto stack
  to verify what we must not claim anyway (the certificate).
- **OFD** (GB/T 33190): a zip with ``Signs/…/Signature.xml``; *unchanged* means every
  ``<Reference FileRef=… ><CheckValue>`` digest (MD5, SHA-1, SHA-256, SM3) matches.
- **Office** (.xlsx/.docx): ``_xmlsignatures/sig*.xml``; *unchanged* means the digests of
  the signed parts listed in its manifest match (parts signed through the relationship
  transform are skipped: that needs OPC canonicalisation).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from mediacheck.discover.sniff import ZIP_MAX_MEMBER_BYTES

MAX_SCAN_BYTES = 512 * 1024 * 1024  # a sealed one-page table is well under 10 MB
MAX_XML_BYTES = 4 * 1024 * 1024  # one signature XML
MAX_PART_BYTES = ZIP_MAX_MEMBER_BYTES  # one part hashed (the one zip policy)
_CHUNK = 1024 * 1024
_BYTERANGE = re.compile(
    rb"/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]"
)
# CMS signed attribute messageDigest (1.2.840.113549.1.9.4): OID, SET, OCTET STRING
_MESSAGE_DIGEST = re.compile(rb"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04\x31.\x04(.)", re.S)
_BY_LENGTH = {16: ("md5",), 20: ("sha1",), 32: ("sha256", "sm3"), 48: ("sha384",),
              64: ("sha512",)}  # fmt: skip
_OFD_METHODS = {
    "md5": "md5", "sha1": "sha1", "sha-1": "sha1", "sha256": "sha256", "sha-256": "sha256",
    "sm3": "sm3", "1.2.156.10197.1.401": "sm3", "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.1": "sha256",
}  # fmt: skip
_DSIG_METHODS = {"xmldsig#sha1": "sha1", "xmlenc#sha256": "sha256", "xmlenc#sha512": "sha512",
                 "xmldsig-more#sha384": "sha384"}  # fmt: skip


@dataclass(frozen=True)
class Seal:
    format: str  # pdf, ofd, ooxml
    signatures: int  # signatures found
    unchanged: bool | None  # None: signed, but nothing could be verified
    detail: str = ""


def _digest(name: str, chunks) -> bytes | None:
    try:
        h = hashlib.new(name)
    except ValueError:  # e.g. no SM3 in this OpenSSL
        return None
    for chunk in chunks:
        h.update(chunk)
    return h.digest()


# ---------------------------------------------------------------------- PDF


def _ranges(f, spans: list[tuple[int, int]]):
    for start, length in spans:
        f.seek(start)
        left = length
        while left > 0:
            chunk = f.read(min(_CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def pdf_seal(path: str | os.PathLike[str]) -> Seal:
    """Signatures of a PDF, by a bounded scan for /ByteRange (see the module docstring)."""
    size = os.path.getsize(path)
    found: list[tuple[int, int, int, int]] = []
    with open(path, "rb") as f:
        carry, pos = b"", 0
        while pos < min(size, MAX_SCAN_BYTES):
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            pos += len(chunk)
            data = carry + chunk
            found.extend(tuple(int(x) for x in m.groups()) for m in _BYTERANGE.finditer(data))
            carry = data[-96:]  # a /ByteRange split across two chunks is seen whole once
        valid = []
        for a, b, c, d in dict.fromkeys(found):
            if a != 0 or not (0 < b < c) or c + d > size:
                continue
            f.seek(b)
            opening = f.read(1)
            f.seek(c - 1)
            closing = f.read(1)
            if opening != b"<" or closing != b">":
                continue
            f.seek(b + 1)
            contents = f.read(min(c - b - 2, 1024 * 1024))
            try:
                blob = bytes.fromhex(contents.decode("ascii"))
            except ValueError:
                continue
            if blob.strip(b"\x00"):  # an unfilled placeholder is all zeros
                valid.append((a, b, c, d, blob))
        if not valid:
            return Seal("pdf", 0, None)
        a, b, c, d, blob = max(valid, key=lambda v: v[2] + v[3])
        f.seek(c + d)
        tail = f.read(4096)
        covers = not tail.strip()  # only whitespace after the signed revision
        detail = "covers the whole file" if covers else f"{size - c - d} bytes added after signing"
        digest_ok = None
        m = _MESSAGE_DIGEST.search(blob)
        if covers and m:
            length = m.group(1)[0]
            signed = blob[m.end() : m.end() + length]
            spans = [(a, b), (c, d)]
            digest_ok = any(
                _digest(name, _ranges(f, spans)) == signed for name in _BY_LENGTH.get(length, ())
            )
            detail += ", digest matches" if digest_ok else ", digest differs"
    unchanged = covers and digest_ok is not False
    return Seal("pdf", len(valid), unchanged, detail)


# ---------------------------------------------------------------------- zips


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        return None
    with zf.open(info) as fh:  # zipfile stops at the declared size (a lying directory)
        return fh.read(limit + 1)[:limit]


def _member_digest(zf: zipfile.ZipFile, name: str, method: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        return None
    with zf.open(info) as fh:
        return _digest(method, iter(lambda: fh.read(_CHUNK), b""))


def ofd_seal(zf: zipfile.ZipFile) -> Seal:
    """Signatures of an OFD package (see the module docstring)."""
    names = zf.namelist()
    sigs = [n for n in names if "Signs/" in n and n.endswith("/Signature.xml")]
    checked = matched = 0
    for sig in sigs:
        data = _read_member(zf, sig, MAX_XML_BYTES)
        if data is None:
            continue
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            continue
        for refs in (e for e in root.iter() if _local(e.tag) == "References"):
            method = _OFD_METHODS.get((refs.get("CheckMethod") or "md5").strip().lower())
            for ref in (e for e in refs if _local(e.tag) == "Reference"):
                value = next((e.text for e in ref if _local(e.tag) == "CheckValue"), None)
                target = (ref.get("FileRef") or "").lstrip("/")
                if not (method and value and target):
                    continue
                digest = _member_digest(zf, target, method)
                if digest is None:
                    continue
                checked += 1
                matched += digest == base64.b64decode(value.strip(), validate=False)
    return _digests_seal("ofd", len(sigs), checked, matched)


def _digests_seal(fmt: str, signatures: int, checked: int, matched: int) -> Seal:
    """Signed and unchanged when every digest that could be checked matches; unknown
    when none could be."""
    if not signatures:
        return Seal(fmt, 0, None)
    unchanged = None if checked == 0 else matched == checked
    return Seal(fmt, signatures, unchanged, f"{matched}/{checked} digests match")


def office_seal(zf: zipfile.ZipFile) -> Seal:
    """XML signatures of an Office file (see the module docstring)."""
    sigs = [n for n in zf.namelist() if n.startswith("_xmlsignatures/") and n.endswith(".xml")]
    checked = matched = 0
    for sig in sigs:
        data = _read_member(zf, sig, MAX_XML_BYTES)
        if data is None:
            continue
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            continue
        manifests = [e for e in root.iter() if _local(e.tag) == "Manifest"]
        for ref in (e for m in manifests for e in m.iter() if _local(e.tag) == "Reference"):
            uri = (ref.get("URI") or "").split("?", 1)[0].lstrip("/")
            if not uri or any(_local(e.tag) == "Transforms" for e in ref):
                continue  # relationship parts: signed through a transform, not checked
            method_el = next((e for e in ref.iter() if _local(e.tag) == "DigestMethod"), None)
            value = next((e.text for e in ref.iter() if _local(e.tag) == "DigestValue"), None)
            algo = (method_el.get("Algorithm") or "") if method_el is not None else ""
            method = next((h for k, h in _DSIG_METHODS.items() if algo.endswith(k)), None)
            if not (method and value):
                continue
            digest = _member_digest(zf, uri, method)
            if digest is None:
                continue
            checked += 1
            matched += digest == base64.b64decode(value.strip(), validate=False)
    return _digests_seal("ooxml", len(sigs), checked, matched)


def seal_of(path: str | os.PathLike[str], fmt: str) -> Seal | None:
    """The signature state of a file of sniffed format `fmt`; None for formats that
    cannot carry one (csv, xls). Raises OSError / zipfile.BadZipFile for the caller."""
    if fmt == "pdf":
        return pdf_seal(path)
    if fmt in ("ofd", "xlsx", "docx", "pptx", "ooxml"):
        with zipfile.ZipFile(path) as zf:
            return ofd_seal(zf) if fmt == "ofd" else office_seal(zf)
    return None
