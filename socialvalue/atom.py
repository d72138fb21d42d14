"""A small Atom 1.0 (RFC 4287) writer: the same entries always give the same bytes.

Every text and attribute passes through `xml_safe`: ElementTree escapes markup but writes a
control character such as ESC or NUL as it is, which makes the whole feed invalid XML.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"  # resolves relative links in content
# Characters XML 1.0 does not allow anywhere (section 2.2), even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Entry:
    url: str  # the page's address, also the entry's permanent id
    title: str
    day: dt.date
    summary: str
    content_html: str | None = None


@dataclass(frozen=True)
class Feed:
    url: str  # where the feed itself is published, also its id
    title: str
    author: str
    home: str  # the site the feed belongs to
    fallback: dt.date  # the feed's `updated` when it has no entries


def xml_safe(value: str) -> str:
    """`value` with each character XML 1.0 forbids replaced by U+FFFD, so the feed still parses."""
    return _NOT_XML.sub(REPLACEMENT, value)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    safe_attrs = {name: xml_safe(value) for name, value in attrs.items()}
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", safe_attrs)
    element.text = None if text is None else xml_safe(text)
    return element


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(feed: Feed, entries: Sequence[Entry], lang: str = "en-GB") -> bytes:
    """The whole document; the feed's `updated` is its newest entry's date."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    _el(root, "id", feed.url)
    _el(root, "title", feed.title)
    _el(root, "updated", _stamp(max((e.day for e in entries), default=feed.fallback)))
    _el(_el(root, "author"), "name", feed.author)
    _el(root, "link", rel="self", type="application/atom+xml", href=feed.url)
    _el(root, "link", rel="alternate", type="text/html", href=feed.home)
    for item in entries:
        entry = _el(root, "entry")
        _el(entry, "id", item.url)
        _el(entry, "title", item.title)
        _el(entry, "updated", _stamp(item.day))
        _el(entry, "published", _stamp(item.day))
        _el(entry, "link", rel="alternate", type="text/html", href=item.url)
        _el(entry, "summary", item.summary)
        if item.content_html is not None:
            _el(entry, "content", item.content_html, type="html", **{XML_BASE: item.url})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
