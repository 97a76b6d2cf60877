"""The link kind's facts (name -> unit): a leaf module, so that validating a profile reads
them without importing the link visitor (ssl, sockets, the browser driver)."""

from __future__ import annotations

FACTS: dict[str, str] = {
    "link.url": "",  # as the course list gives it
    "link.reason": "",  # the desktop visitor's verdict: "link:open", or why not
    "link.reason_phone": "",  # only where it differs from the desktop verdict
    "link.reason_wechat": "",
    "link.evidence": "",  # what decided: the Location, the mark found, the status
    "link.evidence_phone": "",
    "link.evidence_wechat": "",
    "link.advice": "",  # "advice:<group>": what to do, as words
    "link.advice_phone": "",
    "link.advice_wechat": "",
    "link.status": "",  # HTTP status of the last response
    "link.final_url": "",
    "link.redirects": "",  # list: every Location seen (and meta refresh), in order
    "link.hops": "",
    "link.content_type": "",
    "link.bytes_read": "bytes",
    "link.body_truncated": "bool",  # the page was longer than the cap; judged on its start
    "link.rendered": "bool",  # opened in the headless browser
    "link.elapsed": "s",
    "link.screenshot": "image/png",  # bytes: a downscaled screenshot of a rendered page
}
