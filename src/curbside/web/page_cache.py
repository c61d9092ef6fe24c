"""Article pages for anonymous readers: rendered once per version and audience, revalidated
with ETag / Last-Modified, cacheable by a reverse proxy when approved.

What an anonymous article page shows depends only on the article's state — the displayed
version (id and review state), the audience, the date, the related articles, the variants and
who approved it — never on a session: its forms carry no CSRF token (anonymous form posts are
checked by origin instead, see :func:`curbside.web.security.same_origin`). So :func:`page_tag`
hashes that state into a strong ETag; the rendered HTML is kept per tag in a bounded in-memory
LRU (:class:`PageCache`, one per worker: a cache may be lost, a worker rebuilds it on demand),
and a client or proxy that sends the tag back gets ``304 Not Modified``. For ``web.page_fresh_s``
after it was read, a page is served from memory without a database read at all (so an approval
shows after at most that long; views are counted in memory and added once a second).

``Cache-Control``: ``public, max-age=web.public_max_age_s`` for an approved version (a proxy may
share it), ``private, no-cache`` for one awaiting review; always ``Vary: Cookie`` so a signed-in
reviewer never receives the anonymous copy from a proxy.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from starlette.requests import Request

from curbside.articles.models import ArticleView, ReviewState
from curbside.times import as_utc, parse_http_date

#: Part of every tag: bump when the article template changes what it shows.
TEMPLATE_VERSION = "article-1"


def page_tag(view: ArticleView, template: str = TEMPLATE_VERSION) -> str:
    """A strong ETag (quoted) for the anonymous page of ``view``."""
    shown = view.displayed
    state = {"t": template, "v": shown.id, "s": str(shown.state), "a": view.audience.value,
             "u": view.last_updated.isoformat(), "r": view.related,
             "as": sorted(a.value for a in view.audiences), "by": view.reviewed_by,
             "latest": view.latest.id}
    digest = hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:32]}"'


def http_date(moment: datetime) -> str:
    """An HTTP date (RFC 9110 IMF-fixdate) of ``moment``."""
    return format_datetime(as_utc(moment).astimezone(UTC), usegmt=True)


def not_modified(request: Request, tag: str, last_modified: datetime) -> bool:
    """RFC 9110 revalidation: If-None-Match wins; else If-Modified-Since (second precision)."""
    given = request.headers.get("if-none-match")
    if given is not None:
        tags = {t.strip().removeprefix("W/") for t in given.split(",")}
        return "*" in tags or tag in tags
    since = request.headers.get("if-modified-since")
    when = parse_http_date(since) if since else None
    if when is not None:
        return as_utc(last_modified).replace(microsecond=0) <= when
    return False


def cache_control(view: ArticleView, max_age: int) -> str:
    if view.displayed.state == ReviewState.APPROVED and max_age > 0:
        return f"public, max-age={max_age}"
    if view.displayed.state == ReviewState.APPROVED:
        return "public, no-cache"
    return "private, no-cache"


@dataclass(frozen=True)
class FreshPage:
    """An anonymous page as last read from the database, served as is until ``expires``."""

    article_id: int
    tag: str
    html: str
    last_modified: datetime
    cache_control: str
    expires: float


class PageCache:
    """A bounded, thread-safe LRU of rendered pages by tag, plus the short-lived pages by URL.

    A *fresh* page (``web.page_fresh_s``, default 2 s) is served without asking the database at
    all; its view is counted in memory and the counts are added to the database at most once a
    second (``views_due``), so a crash loses at most a second of view counts.
    """

    def __init__(self, size: int, *, fresh_s: float = 0.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.size = size
        self.fresh_s = fresh_s
        self._clock = clock
        self._pages: OrderedDict[str, str] = OrderedDict()
        self._fresh: OrderedDict[tuple[str, str], FreshPage] = OrderedDict()
        self._views: Counter[int] = Counter()
        self._views_flushed = clock()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def fresh(self, key: tuple[str, str]) -> FreshPage | None:
        """The page for (slug, audience) if it was read less than ``fresh_s`` ago; its view is
        counted."""
        with self._lock:
            page = self._fresh.get(key)
            if page is None or page.expires <= self._clock():
                return None
            self._views[page.article_id] += 1
            return page

    def remember(self, key: tuple[str, str], article_id: int, tag: str, html: str,
                 last_modified: datetime, cache_control: str) -> None:
        if self.fresh_s <= 0 or self.size <= 0:
            return
        page = FreshPage(article_id, tag, html, last_modified, cache_control,
                         self._clock() + self.fresh_s)
        with self._lock:
            self._fresh[key] = page
            self._fresh.move_to_end(key)
            while len(self._fresh) > self.size:
                self._fresh.popitem(last=False)

    def views_due(self, every_s: float = 1.0) -> dict[int, int]:
        """The views counted in memory, once ``every_s`` has passed since the last time."""
        with self._lock:
            now = self._clock()
            if not self._views or now - self._views_flushed < every_s:
                return {}
            due = dict(self._views)
            self._views.clear()
            self._views_flushed = now
            return due

    def get(self, tag: str) -> str | None:
        with self._lock:
            page = self._pages.get(tag)
            if page is None:
                self.misses += 1
                return None
            self._pages.move_to_end(tag)
            self.hits += 1
            return page

    def put(self, tag: str, page: str) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._pages[tag] = page
            self._pages.move_to_end(tag)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
