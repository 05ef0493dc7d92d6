import logging
import re
import sys
import uuid

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults
from psycopg.errors import QueryCanceled

from meetings import caching
from meetings.caching import DATABASE_UNAVAILABLE

from .context_processors import site

logger = logging.getLogger(__name__)


class RequestIdMiddleware:
    """Give every response an X-Request-ID: the one nginx sent (`$request_id`), else a new
    one. gunicorn's access log carries it (portal/gunicorn.conf.py), so a line there can be
    matched with nginx's. No database, no session: first in MIDDLEWARE."""

    HEADER = "X-Request-ID"
    # What is passed on is logged and echoed: letters, digits and a few separators only.
    VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(self.HEADER, "")
        request.request_id = given if self.VALID.fullmatch(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response.headers[self.HEADER] = request.request_id
        return response


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY ({feature: [origins]}, an empty list denying it to
    every page) as the Permissions-Policy header of every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PageCacheMiddleware:
    """Serve visitors' cached pages before the session, CSRF, auth and messages middleware
    and URL resolving run: a hit costs a cache read and the version (meetings/caching.py).

    Only for GET and HEAD without a session cookie: editors, who may be logged in, go
    through the whole stack (and its view's `cached_public_page`). A miss goes through the
    whole stack too; the page the view cached is then stored again with every header the
    middleware below added, so that a hit answers exactly as a miss did."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and settings.PORTAL_PAGE_CACHE_SECONDS > 0
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            try:
                hit = caching.cached_page(request, language_from_address(request))
            except DisallowedHost:
                hit = None  # answered 400 by the whole stack, as any other request
            if hit is not None:
                return hit
        response = self.get_response(request)
        caching.keep_final_response(request, response)
        return response


class RejectNullCharactersMiddleware:
    """Answer 400 to addresses holding a NUL character.

    PostgreSQL refuses NUL in text, so such a value would otherwise reach the database from
    a path converter, a search box or a filter and fail there with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET.lists()
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in query
        ):
            return HttpResponseBadRequest(
                "The address contains a null character (%00), which no page here has.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class LanguageFromAddressMiddleware:
    """The language of a page is the one its address names: /ja/… is Japanese, every other
    address English, the admin included.

    Unlike Django's LocaleMiddleware, neither a cookie nor the browser's Accept-Language
    chooses: an address always answers the same page (cacheable, linkable), and editors'
    forms always write the English fields unless they name the Japanese ones.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_from_address(request)
        request.LANGUAGE_CODE = language
        # Only for this request: code that runs after it in the same thread (a test, a
        # worker's next job) keeps its own language.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def language_from_address(request):
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


class DatabaseUnavailableMiddleware:
    """Answer 503, to retry shortly, when the database cannot be reached, not a 500.

    While PostgreSQL restarts or is stopped, cached public pages are still served (see
    meetings/caching.py); every other page fails on its first query, and lands here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if took_too_long(exception):
            logger.warning("Query cancelled, too long, for %s: %s", request.path, exception)
            return database_unavailable(request, template_name="503_too_long.html")
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        return database_unavailable(request)


def took_too_long(exception):
    """Whether PostgreSQL cancelled the query: its statement timeout (DATABASE_STATEMENT_
    TIMEOUT_MS) ran out. Django raises it as an OperationalError, caused by psycopg's."""
    return isinstance(exception, OperationalError) and isinstance(
        exception.__cause__, QueryCanceled
    )


RETRY_AFTER_SECONDS = 30


def database_unavailable(request, template_name="503.html"):
    # Only the site's name in the context: the other context processors look up the user.
    response = HttpResponse(render_to_string(template_name, site(request)), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """The site's 500 handler (portal/urls.py): a database that went away, or a query
    cancelled for taking too long, while a middleware was using it (a session being saved,
    say) is a 503 to retry, like in a view."""
    exception = sys.exc_info()[1]
    if took_too_long(exception):
        return database_unavailable(request, template_name="503_too_long.html")
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    return defaults.server_error(request)
