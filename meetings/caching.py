"""Caching whole public pages and feeds, and retiring them when content changes.

A cached page is stored under the current public content version (one database row, read
once per request). This module alone decides when that version moves on, retiring every
cached page and its ETag at once:

- a meeting's state enters or leaves “published” or “taken down”, or a correction is
  applied to a published meeting: the workflow reports each step (`meeting_stepped`);
- a publication or an expiry comes due by the clock: the version row knows when the next
  one is, and the first request after it moves the version on;
- anything else the public sees is saved or deleted, by anyone (admin, command, shell):
  the models in `PUBLIC_MODELS` are listened to, so no caller has to remember.

Drafts, submissions, reviews and draft imports change nothing the public sees, and leave
the cache alone. Pages are given an ETag built from the version, so browsers and proxies
can revalidate with a 304.

Pages are cached per address as the visitor asked for it, scheme and host included, since
feeds and the sitemap hold absolute links. When the database cannot be reached, cached
pages are still served, under the last version this process saw.
"""

import functools
import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from .models import Meeting, PublicContentVersion

CACHE_ALIAS = "pages"
# Searches' counts and result ids, kept apart so that the endless variety of what visitors
# type cannot push pages out of their cache.
SEARCH_CACHE_ALIAS = "searches"

# The errors of a database that cannot be reached (stopped, restarting, network down).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# The content version this process last read, served under while the database is away.
_last_version_seen = None


def content_changed():
    """Retire every cached public page, once the current transaction commits."""
    transaction.on_commit(_bump_version)


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


def _bump_version():
    next_change_at = Meeting.objects.next_scheduled_change()
    updated = PublicContentVersion.objects.filter(pk=1).update(
        version=F("version") + 1, changed_at=timezone.now(), next_change_at=next_change_at
    )
    if not updated:
        PublicContentVersion.objects.get_or_create(
            pk=1, defaults={"next_change_at": next_change_at}
        )


def current_version():
    """The version cached pages are valid for, bumping it if a scheduled change is due.

    If the database cannot be reached, the last version this process read: its cached
    pages are then served as they were (a scheduled change waits for the database)."""
    global _last_version_seen
    try:
        state = PublicContentVersion.objects.filter(pk=1).first()
        if state is None or (state.next_change_at and state.next_change_at <= timezone.now()):
            _bump_version()
            state = PublicContentVersion.objects.get(pk=1)
    except DATABASE_UNAVAILABLE:
        if _last_version_seen is None:
            raise
        return _last_version_seen
    _last_version_seen = state.version
    return state.version


def page_cache_key(request, version):
    """The cache key of the page at the address asked for, host and scheme included.

    Hashed, because an address may be longer than a cache key may be (250 characters in
    memcached)."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{version}:{address}"


def cached_public_page(view):
    """Serve GET requests for the view from the page cache, keyed by the content version.

    A browser's conditional request is answered 304 only for a page in the cache: any
    other is rendered, so an address that does not exist stays a 404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PORTAL_PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or seconds <= 0:
            return view(request, *args, **kwargs)
        version = current_version()
        cache = caches[CACHE_ALIAS]
        key = page_cache_key(request, version)
        cached = cache.get(key)
        if cached is not None:
            return get_conditional_response(request, etag=cached.get("ETag"), response=cached)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming:
            response.headers.setdefault("ETag", f'"v{version}"')
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            cache.set(key, response, seconds)
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
    found = cache.get(cache_key)
    if found is None:
        found = find()
        cache.set(cache_key, found, seconds)
    return found
