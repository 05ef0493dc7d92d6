"""Caching whole public pages and feeds, and retiring them when content changes.

A cached page is stored under the current public content version. Its source of truth is
one database row; with a shared cache (Redis) the version is also kept there, as a record
of the version and of the next scheduled change, so that a cache hit reads no database at
all. This module alone decides when that version moves on, retiring every cached page and
its ETag at once, on every server:

- a meeting's state enters or leaves “published” or “taken down”, or a correction is
  applied to a published meeting: the workflow reports each step (`meeting_stepped`);
- a publication or an expiry comes due by the clock: the version knows when the next one
  is, and the first request after it moves the version on;
- anything else the public sees is saved or deleted, by anyone (admin, command, shell):
  the models in `PUBLIC_MODELS` are listened to, so no caller has to remember.

Drafts, submissions, reviews and draft imports change nothing the public sees, and leave
the cache alone. Pages are given an ETag built from the version, so browsers and proxies
can revalidate with a 304.

Pages are cached per address as the visitor asked for it, scheme and host included, since
feeds and the sitemap hold absolute links. When the database cannot be reached, cached
pages are still served, under the version in the shared cache or else the last version
this process saw. When the cache cannot be reached, pages are rendered afresh, uncached.
"""

import contextlib
import contextvars
import functools
import hashlib
import logging
import time
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import InterfaceError, OperationalError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language
from redis.exceptions import RedisError

from .models import Meeting, PublicContentVersion

CACHE_ALIAS = "pages"
# Searches' counts and result ids, kept apart so that the endless variety of what visitors
# type cannot push pages out of their cache.
SEARCH_CACHE_ALIAS = "searches"

# The content version's record in the shared cache: {"version", "next_change_at"}.
VERSION_CACHE_ALIAS = "default"
VERSION_KEY = "content-version"

# The errors of a database that cannot be reached (stopped, restarting, network down).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# And of a cache that cannot be: Redis down, refusing, timing out (OSError: a socket's).
CACHE_UNAVAILABLE = (RedisError, OSError)

logger = logging.getLogger(__name__)

# The content version this process last read, served under while the database is away.
_last_version_seen = None


def content_changed():
    """Retire every cached public page, once the current transaction commits (in a batch
    of changes, `one_retirement_per_batch`, soon after)."""
    batch = _batch.get()
    transaction.on_commit(_bump_version if batch is None else batch.changed)


class _Batch:
    """Changes committed in a batch, waiting for one retirement of the cached pages."""

    def __init__(self):
        self.waiting_since = None
        self.ended = False

    def changed(self):
        now = time.monotonic()
        if self.waiting_since is None:
            self.waiting_since = now
            # Due in the version row as a scheduled change is: the first request after it
            # retires the pages, whatever becomes of this process (stopped, killed, slow).
            _retire_by(timezone.now() + timedelta(seconds=BATCH_SECONDS))
        # A transaction that outlived the batch (one around it) commits after it ended.
        if self.ended or now - self.waiting_since >= BATCH_SECONDS:
            self.retire()

    def retire(self):
        if self.waiting_since is not None:
            self.waiting_since = None
            _bump_version()

    def end(self):
        self.ended = True
        self.retire()


# In a batch, a committed change waits at most this long for the version to move on.
BATCH_SECONDS = 2
_batch = contextvars.ContextVar("content_changes_batch", default=None)


@contextlib.contextmanager
def one_retirement_per_batch():
    """Within it, the changes committed (each in its own transaction: a command importing
    and publishing readouts one by one) retire the cached pages together: when it ends,
    or once one of them has waited `BATCH_SECONDS`, instead of once per transaction.

    A page cached meanwhile may show the site as it was just before a change; it is
    retired with the rest, so none stays out of date."""
    if _batch.get() is not None:  # already in one
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        batch.end()


# Besides meetings, what public pages show; a change to any of these is a public change.
PUBLIC_MODELS = [
    "relations.Region",
    "relations.RelationsPage",
    "meetings.MeetingType",
    "meetings.Topic",  # its Japanese name shows on /ja/ pages
    "meetings.TopicRedirect",
    "taggit.Tag",
]
PUBLIC_STATES = {Meeting.State.PUBLISHED, Meeting.State.TAKEN_DOWN}


def meeting_stepped(meeting, from_state):
    """A workflow step moved the meeting from `from_state` to its state now (or applied a
    correction to it): public when either is published or taken down."""
    if {from_state, meeting.state} & PUBLIC_STATES:
        content_changed()


def listen_for_public_changes():
    """Connected once, when the app is ready (meetings/apps.py)."""
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        post_save.connect(_public_row_saved, sender=model, dispatch_uid=f"public:{label}:save")
        post_delete.connect(_public_row_deleted, sender=model, dispatch_uid=f"public:{label}:del")
    post_delete.connect(_meeting_deleted, sender=Meeting, dispatch_uid="public:meeting:del")


def _public_row_saved(sender, instance, created, raw=False, **kwargs):
    # A new tag is on no public page yet, nor is a relations page created unpublished.
    new_and_hidden = created and (
        sender._meta.label == "taggit.Tag" or getattr(instance, "published", True) is False
    )
    if not raw and not new_and_hidden:
        content_changed()


def _public_row_deleted(sender, instance, **kwargs):
    content_changed()


def _meeting_deleted(sender, instance, **kwargs):
    if instance.state in PUBLIC_STATES:
        content_changed()


def version_is_shared():
    """Whether the version can be kept in the cache: only in one every process shares.

    A process's own memory (LocMemCache) would keep each gunicorn worker on the version it
    last saw, missing another worker's bump: there the database row is read per request."""
    return not isinstance(caches[VERSION_CACHE_ALIAS], LocMemCache | DummyCache)


def _bump_version():
    """Move the version on, in the database and (when shared) in the cache."""
    _change_version(_moved_on)


def _change_version(change, remember=True):
    """Apply `change` to the version row (None if there is none yet) under the row's lock,
    and write the result to the shared cache before the lock is released.

    So bumps, and writes of the cached record, happen one at a time and in order: an older
    reading never overwrites a newer version in the cache. (SQLite's transactions take the
    write lock as they begin.)"""
    written = False
    try:
        with transaction.atomic():
            state = PublicContentVersion.objects.select_for_update().filter(pk=1).first()
            state = change(state)
            if remember and version_is_shared():
                written = True
                record = {"version": state.version, "next_change_at": state.next_change_at}
                _cache_call(
                    caches[VERSION_CACHE_ALIAS].set,
                    VERSION_KEY,
                    record,
                    settings.PORTAL_CONTENT_VERSION_SECONDS,
                )
    except BaseException:
        if written:  # the record may name a version the database did not keep
            _cache_call(caches[VERSION_CACHE_ALIAS].delete, VERSION_KEY)
        raise
    return state


def _retire_by(moment):
    """Have the version move on by `moment` at the latest, as a scheduled change would."""

    def due_by(state):
        if state is None:
            return _moved_on(state)
        if state.next_change_at is None or state.next_change_at > moment:
            state.next_change_at = moment
            state.save(update_fields=["next_change_at"])
        return state

    _change_version(due_by)


def _moved_on(state):
    """`state` (the locked row, or None) with its version moved on and the next scheduled
    change looked up again."""
    next_change_at = Meeting.objects.next_scheduled_change()
    if state is None:
        state, _ = PublicContentVersion.objects.get_or_create(
            pk=1, defaults={"next_change_at": next_change_at}
        )
        return state
    state.version += 1
    state.changed_at = timezone.now()
    state.next_change_at = next_change_at
    state.save(update_fields=["version", "changed_at", "next_change_at"])
    return state


def _moved_on_if_due(state):
    # Of the requests that find a scheduled change due, the first to take the lock bumps;
    # the others then find the version moved on and the change no longer due.
    if state is None or _is_due(state.next_change_at):
        return _moved_on(state)
    return state


def _is_due(next_change_at):
    return next_change_at is not None and next_change_at <= timezone.now()


def _version_from_database(remember):
    """The version in the database row, moved on first if a scheduled change is due.

    `remember`: write it to the shared cache, whose record was missing or due. That takes
    the row's lock; a plain read is enough otherwise (a cache of this process only, or a
    cache that cannot be reached)."""
    if not remember:
        state = PublicContentVersion.objects.filter(pk=1).first()
        if state is not None and not _is_due(state.next_change_at):
            return state.version
    return _change_version(_moved_on_if_due, remember=remember).version


def current_version():
    """The version cached pages are valid for, bumping it if a scheduled change is due.

    With a shared cache, read from its record there: a cache hit reads no database. The
    database row is read when the record is missing (expired, evicted, Redis restarted),
    when its next scheduled change is due, or when the cache cannot be reached.

    If the database cannot be reached either, the version in the cache, or else the last
    one this process read: cached pages are then served as they were (a scheduled change
    waits for the database)."""
    global _last_version_seen
    record = None
    shared = version_is_shared()
    if shared:
        record = _cache_call(caches[VERSION_CACHE_ALIAS].get, VERSION_KEY, unreachable=_UNREACHABLE)
        if record not in (None, _UNREACHABLE) and not _is_due(record["next_change_at"]):
            _last_version_seen = record["version"]
            return record["version"]
    try:
        version = _version_from_database(remember=shared and record is not _UNREACHABLE)
    except DATABASE_UNAVAILABLE:
        if record not in (None, _UNREACHABLE):
            return record["version"]
        if _last_version_seen is None:
            raise
        return _last_version_seen
    _last_version_seen = version
    return version


_UNREACHABLE = object()


def _cache_call(operation, *args, unreachable=None):
    """A cache operation, or `unreachable` when the cache cannot be reached: a Redis that is
    down makes pages slower (rendered each time), never fail."""
    try:
        return operation(*args)
    except CACHE_UNAVAILABLE as error:
        _warn_cache_unavailable(error)
        return unreachable


_cache_warned_at = 0.0


def _warn_cache_unavailable(error):
    # Once a minute per process, not once per request, while Redis is away.
    global _cache_warned_at
    now = time.monotonic()
    if now - _cache_warned_at >= 60:
        _cache_warned_at = now
        logger.warning("Cache unavailable, serving pages uncached: %s", error)


def address_digest(request, language=None):
    """The address asked for, in the language it is shown in, host and scheme included,
    hashed: an address may be longer than a cache key may be (250 characters in memcached)."""
    language = language or getattr(request, "LANGUAGE_CODE", "") or get_language()
    address = f"{language} {request.build_absolute_uri()}"
    return hashlib.sha256(address.encode()).hexdigest()


def page_cache_key(request, version, language=None):
    """The cache key of the page at the address asked for, under the content version."""
    return f"page:{version}:{address_digest(request, language)}"


# The addresses this process has seen served as cached pages (their digests): only for these
# does the fast path (`cached_page`) read the version and the cache, so that an address no
# view caches (a search, a 404) costs nothing more. Bounded: emptied when full.
_cached_addresses = set()
_CACHED_ADDRESSES_MAX = 20000


def _remember_address(digest):
    if len(_cached_addresses) >= _CACHED_ADDRESSES_MAX:
        _cached_addresses.clear()
    _cached_addresses.add(digest)


def cached_page(request, language):
    """The cached response for this request, answered as its conditional headers ask (200 or
    304), or None: an address not known to be cached, a page not in the cache, or a database
    that cannot be reached while no version is known.

    For `portal.middleware.PageCacheMiddleware`, which calls it before the session, CSRF,
    auth and messages middleware and URL resolving. Leaves the version it read on the
    request, so that the view's `cached_public_page` does not read it again."""
    digest = address_digest(request, language)
    if digest not in _cached_addresses:
        return None
    hit = _hit_in_one_read(digest)
    if hit is _UNREACHABLE:
        return None  # not to wait on a Redis that is away twice more before the view does
    if hit is not None:
        version, cached = hit
        request.page_cache_version = version
        return get_conditional_response(request, etag=cached.get("ETag"), response=cached)
    try:
        version = current_version()
    except DATABASE_UNAVAILABLE:
        return None  # the whole stack then answers 503
    request.page_cache_version = version
    cached = _cache_call(caches[CACHE_ALIAS].get, f"page:{version}:{digest}")
    if cached is None:
        return None
    return get_conditional_response(request, etag=cached.get("ETag"), response=cached)


def _hit_in_one_read(digest):
    """(version, page) when the shared cache's version record and the page cached under the
    version this process last saw can be read in one round trip (both caches on one Redis),
    that version is still current and the page is there; `_UNREACHABLE` when Redis is away;
    else None, and the usual two reads follow. Almost always right: the version moves on
    only when public content changes."""
    if _last_version_seen is None:
        return None
    get_with = getattr(caches[CACHE_ALIAS], "get_with", None)
    if get_with is None:
        return None
    read = _cache_call(
        get_with,
        caches[VERSION_CACHE_ALIAS],
        f"page:{_last_version_seen}:{digest}",
        VERSION_KEY,
        unreachable=_UNREACHABLE,
    )
    if read is None or read is _UNREACHABLE:
        return read
    record, cached = read
    if (
        record is None
        or cached is None
        or record["version"] != _last_version_seen
        or _is_due(record["next_change_at"])
    ):
        return None
    return record["version"], cached


def keep_final_response(request, response):
    """Store again, once every middleware has added its headers, a page the view has just
    cached, so that a hit served by the fast path carries the headers of a miss.

    A response that set a cookie or varies by one depended on who asked: it is dropped from
    the cache rather than served to anyone else."""
    key = getattr(request, "page_cache_key", None)
    if key is None:
        return
    cache = caches[CACHE_ALIAS]
    if response.cookies or "cookie" in response.get("Vary", "").lower():
        _cache_call(cache.delete, key)
    else:
        _cache_call(cache.set, key, response, settings.PORTAL_PAGE_CACHE_SECONDS)


def cached_public_page(view):
    """Serve GET requests for the view from the page cache, keyed by the content version.

    Visitors' hits are mostly served before the view is even resolved, by
    `portal.middleware.PageCacheMiddleware` (see `cached_page`); this serves the others
    (editors, an address this process had not seen cached) and fills the cache.

    A browser's conditional request is answered 304 only for a page in the cache: any
    other is rendered, so an address that does not exist stays a 404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PORTAL_PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or seconds <= 0:
            return view(request, *args, **kwargs)
        version = getattr(request, "page_cache_version", None)
        if version is None:
            version = current_version()
        cache = caches[CACHE_ALIAS]
        digest = address_digest(request)
        key = f"page:{version}:{digest}"
        cached = _cache_call(cache.get, key)
        if cached is not None:
            _remember_address(digest)
            return get_conditional_response(request, etag=cached.get("ETag"), response=cached)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming:
            response.headers.setdefault("ETag", f'"v{version}"')
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            _cache_call(cache.set, key, response, seconds)
            _remember_address(digest)
            request.page_cache_key = key  # stored again with its final headers (above)
        return response

    return wrapper


def remembered_search(key, find):
    """What `find()` returns for a search, kept under the content version like pages: the
    same search typed again costs one query until the public content changes.

    `key` is any text that names the search (its terms, filters and page)."""
    seconds = settings.PORTAL_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return find()
    version = current_version()
    cache = caches[SEARCH_CACHE_ALIAS]
    cache_key = f"search:{version}:{hashlib.sha256(key.encode()).hexdigest()}"
    found = _cache_call(cache.get, cache_key)
    if found is None:
        found = find()
        _cache_call(cache.set, cache_key, found, seconds)
    return found
