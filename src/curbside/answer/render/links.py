"""The one decision on which URLs are linked: the HTML answer, the Markdown answer and the web pages.

A source's URL comes from what was ingested (a feed, a local document's front matter), so it could be
``javascript:…``, ``data:…`` or ``//another.site``. Only web addresses (http, https) and paths on this
site (a board-reviewed article ``/a/…``, a consult ``/consults/…``) become links.
"""

from __future__ import annotations

import re

#: Whitespace, control characters and angle brackets: browsers drop tabs and newlines inside a URL
#: (so "/\t/host" would open another site), and "<", ">" end a Markdown autolink.
_UNSAFE_CHARACTER = re.compile(r"[\x00-\x20\x7f-\x9f<>\s]")


def is_site_path(url: str) -> bool:
    """A path on this site: starts with one "/", not "//host" and no backslash (browsers read it as "/")."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def safe_url(url: str | None) -> str:
    """``url`` as it may be linked (surrounding spaces removed), or "" when it must not be a link.

    Linked: http(s) addresses and paths on this site, with no whitespace, control character or
    angle bracket inside. Everything else (another scheme, "//host", a backslash) is shown, if at
    all, as text.
    """
    url = (url or "").strip()
    if _UNSAFE_CHARACTER.search(url):
        return ""
    return url if is_absolute(url) or is_site_path(url) else ""


def is_absolute(url: str) -> bool:
    """An http(s) address (not a site path): what a document read outside the site can link."""
    return url.lower().startswith(("https://", "http://"))
