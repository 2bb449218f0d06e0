"""A passage as it is copied out of the app (plain text with where it comes from), and
the only links the app will hand to a browser.

Both take untrusted values (article text, ``sources.yaml`` URLs): the citation is one
clean text with no escape sequences, and a link is opened only when it is http(s).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .errors import TalksError
from .models import Passage, Source
from .textsafe import neutralize, one_line

WEB_SCHEMES = ("http", "https")


def citation(passage: Passage, source: Source) -> str:
    """The passage in quotes, then outlet (or file), title, date, URL and passage id:
    what a note or a message needs to credit and find it again."""
    text = " ".join(neutralize(passage.text).split())
    fields = [one_line(source.label, 300)]
    if source.title:
        fields.append(f"“{one_line(source.title, 1000)}”")
    fields.append(source.date or "undated")
    if source.url:
        fields.append(one_line(source.url, 2000))
    if passage.page is not None:
        fields.append(f"p. {passage.page}")
    return f"“{text}”\n— {', '.join(fields)} (passage {passage.id})"


def web_link(source: Source) -> str:
    """The source's URL when a browser may open it; else ``TalksError`` saying why
    (no URL, another scheme, no host)."""
    raw = one_line(source.url or "", 4000)
    if not raw:
        raise TalksError(f"{one_line(source.label)} has no URL")
    try:
        parts = urlsplit(raw)
        host = parts.hostname
    except ValueError:
        raise TalksError(f"the URL of {one_line(source.label)} is not valid: {raw}") from None
    if parts.scheme.lower() not in WEB_SCHEMES:
        scheme = parts.scheme or "no scheme"
        raise TalksError(f"only http and https links are opened, not {scheme}: {raw}")
    if not host:
        raise TalksError(f"the URL of {one_line(source.label)} has no host: {raw}")
    return raw
