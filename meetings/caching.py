"""Caching whole public pages and feeds, and retiring them when content changes.

A cached page is stored under the current public content version (one database row, read
once per request). Whatever changes what the public sees calls `content_changed()`: the
workflow, the importer, the admin. A scheduled publication or an expiry retires the cache
by itself at its time, because the version row knows when the next one is due. Pages are
also given an ETag built from the version, so browsers and proxies can revalidate with a
304.

Pages are cached per address as the visitor asked for it, scheme and host included, since
feeds and the sitemap hold absolute links. When the database cannot be reached, cached
pages are still served, under the last version this process saw.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from .models import Meeting, PublicContentVersion

CACHE_ALIAS = "pages"

# The errors of a database that cannot be reached (stopped, restarting, network down).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# The content version this process last read, served under while the database is away.
_last_version_seen = None


def content_changed():
    """Retire every cached public page, once the current transaction commits."""
    transaction.on_commit(_bump_version)


def next_scheduled_change():
    """The earliest time still to come at which a meeting goes public or expires."""
    now = timezone.now()
    upcoming = Meeting.objects.filter(state=Meeting.State.PUBLISHED).aggregate(
        publication=Min("published_at", filter=Q(published_at__gt=now)),
        expiry=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    times = [time for time in upcoming.values() if time is not None]
    return min(times) if times else None


def _bump_version():
    next_change_at = next_scheduled_change()
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


class RetiresCachedPagesAdmin:
    """ModelAdmin mixin: every change made in the admin retires the cached public pages."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        content_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()
