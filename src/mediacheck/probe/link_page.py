"""What a login wall looks like, and what an HTML page holds: pure functions on URLs and
bytes, shared by the HTTP visit and the headless browser.

The patterns are profile data (`links:` in rules/*.yaml, read by `LinkPatterns.from_section`),
so a district can add its own SSO host without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# An element id a single-page app mounts into; with little text and scripts, the page is an
# empty shell that only a browser can judge. Not spec values: how such pages are built.
SHELL_IDS = frozenset({"app", "root", "__nuxt", "__next", "main-app", "vue-app"})
SHELL_TEXT = 200  # visible characters below which a scripted page is a shell
_TOKENS = re.compile(r"[^a-z0-9\u4e00-\u9fff]+")


@dataclass(frozen=True)
class LinkPatterns:
    """I-LINK's login patterns (see rules/shanghai-2024.yaml, `links:`)."""

    login_path_words: frozenset[str] = frozenset()
    login_host_labels: frozenset[str] = frozenset()
    return_params: frozenset[str] = frozenset()
    wechat_oauth_urls: tuple[str, ...] = ()
    wechat_only_words: tuple[str, ...] = ()
    login_words: tuple[str, ...] = ()

    @classmethod
    def from_section(cls, section: dict[str, Any] | None) -> LinkPatterns:
        s = section or {}

        def low(key: str) -> tuple[str, ...]:
            return tuple(str(v).lower() for v in s.get(key, ()))

        return cls(
            login_path_words=frozenset(low("login_path_words")),
            login_host_labels=frozenset(low("login_host_labels")),
            return_params=frozenset(low("return_params")),
            wechat_oauth_urls=low("wechat_oauth_urls"),
            wechat_only_words=tuple(s.get("wechat_only_words", ())),
            login_words=low("login_words"),
        )

    def wechat_oauth(self, url: str) -> bool:
        low = url.lower()
        return any(marker in low for marker in self.wechat_oauth_urls)

    def login_url(self, url: str, need_return: bool = True) -> bool:
        """A login, SSO, CAS, passport or OAuth address; with `need_return`, only when it
        carries a parameter saying where to come back to (the mark of a login wall rather
        than a page that merely mentions one). Hash routes (`/#/login?redirect=`) count."""
        parts = urlsplit(url)
        places = [(parts.path, parts.query)]
        fragment = parts.fragment
        if fragment.startswith(("/", "!/")):
            route = urlsplit(fragment.lstrip("!"))
            places.append((route.path, route.query))
        host = (parts.hostname or "").lower()
        login_host = bool(host) and host.split(".")[0] in self.login_host_labels
        for path, query in places:
            tokens = set(_TOKENS.split(path.lower())) - {""}
            if not (login_host or tokens & self.login_path_words):
                continue
            if not need_return:
                return True
            keys = {k.lower() for k, _ in parse_qsl(query, keep_blank_values=True)}
            if keys & self.return_params:
                return True
        return False

    def login_word(self, text: str) -> str | None:
        low = text.lower()
        return next((w for w in self.login_words if w in low), None)

    def wechat_only_word(self, text: str) -> str | None:
        return next((w for w in self.wechat_only_words if w in text), None)


@dataclass
class Page:
    """What an HTML page holds, as far as I-LINK cares."""

    title: str = ""
    text: str = ""  # visible text (not script, style, noscript, template)
    password: bool = False
    scripts: int = 0
    shell_ids: set[str] = field(default_factory=set)
    media: int = 0  # canvas, video, iframe, embed, object: content without text
    refresh: str | None = None  # a meta refresh's target URL

    @property
    def visible(self) -> int:
        return len("".join(self.text.split()))

    @property
    def shell(self) -> bool:
        """An empty shell filled by script: judged only by a browser."""
        return self.scripts > 0 and self.visible < SHELL_TEXT


_HIDDEN = {"script", "style", "noscript", "template", "head"}
_MEDIA = {"canvas", "video", "iframe", "embed", "object", "svg"}
_REFRESH = re.compile(r"^\s*\d*(?:\.\d+)?\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"]*)", re.I)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._hidden = 0
        self._in_title = False
        self._text: list[str] = []
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "script":
            self.page.scripts += 1
        if tag in _HIDDEN:
            self._hidden += 1
        if tag == "title":
            self._in_title = True
        if tag == "input" and a.get("type", "").lower() == "password":
            self.page.password = True
        if tag in _MEDIA:
            self.page.media += 1
        if a.get("id", "").lower() in SHELL_IDS:
            self.page.shell_ids.add(a["id"].lower())
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            match = _REFRESH.match(a.get("content", ""))
            target = match.group(1).strip() if match else ""
            if target:
                self.page.refresh = target

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self._hidden:
            self._text.append(data)


def read_page(html: str) -> Page:
    reader = _Reader()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):  # html.parser on hostile markup: keep what it read
        pass
    page = reader.page
    page.title = " ".join("".join(reader._title).split())
    page.text = " ".join(" ".join(reader._text).split())
    return page


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*['\"]?([A-Za-z0-9_-]+)", re.I)
# Chinese sites still declare the older encodings; gb18030 reads them all.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def decode_html(body: bytes, content_type: str) -> str:
    charset = ""
    match = re.search(r"charset\s*=\s*['\"]?([A-Za-z0-9_-]+)", content_type, re.I)
    if match:
        charset = match.group(1)
    else:
        meta = _META_CHARSET.search(body[:4096])
        if meta:
            charset = meta.group(1).decode("ascii", "replace")
    charset = _ALIASES.get(charset.lower(), charset.lower()) or "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def page_signal(page: Page, patterns: LinkPatterns) -> tuple[str, str] | None:
    """The login or WeChat mark a page carries, as (reason code, evidence), or None."""
    word = patterns.wechat_only_word(page.text + " " + page.title)
    if word:
        return "wechat_only", word
    if page.password:
        return "password_form", '<input type="password">'
    word = patterns.login_word(page.title + " " + page.text)
    if word:
        return "login_words", word
    return None
