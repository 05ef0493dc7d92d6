"""How long a staff session lasts: it ends after PORTAL_SESSION_IDLE_MINUTES without a
request, and PORTAL_SESSION_MAX_HOURS after signing in, whatever happens meanwhile.

Django alone keeps a session until SESSION_COOKIE_AGE after it was last saved, so an
active session would never end; the two times kept in the session here decide instead.
Only requests that carry a session cookie are looked at: visitors' public pages never read
or write a session (no Set-Cookie, no Vary: Cookie), so the page cache keeps serving them.
"""

import time

from django.conf import settings
from django.contrib import auth, messages
from django.utils.module_loading import import_string

SIGNED_IN_AT = "accounts.signed_in_at"
ACTIVE_AT = "accounts.active_at"
# The session is written for its last activity at most this often, not on every request.
ACTIVITY_RESOLUTION_SECONDS = 60


def start_clocks(sender, request, user, **kwargs):
    """At sign-in (user_logged_in): the session starts now, and was active now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[ACTIVE_AT] = now


def why_ended(session, now):
    """Why a signed-in session is over, in words for the person, or None."""
    signed_in_at, active_at = session.get(SIGNED_IN_AT), session.get(ACTIVE_AT)
    if signed_in_at is None or active_at is None:
        # Started before these limits existed, or by a path that did not sign in.
        return "Your session has ended: please sign in again."
    if now - signed_in_at >= settings.PORTAL_SESSION_MAX_HOURS * 3600:
        hours = settings.PORTAL_SESSION_MAX_HOURS
        return f"You were signed out {hours} hours after signing in: please sign in again."
    if now - active_at >= settings.PORTAL_SESSION_IDLE_MINUTES * 60:
        minutes = settings.PORTAL_SESSION_IDLE_MINUTES
        return (
            f"You were signed out after {minutes} minutes without activity: please sign in again."
        )
    return None


class StaffSessionLimitsMiddleware:
    """Sign out a session past its idle or absolute limit; note its activity otherwise.

    After AuthenticationMiddleware and MessageMiddleware. The request then goes on as a
    visitor's: the admin sends it to its sign-in page, where the message says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = int(time.time())
            reason = why_ended(request.session, now)
            if reason:
                auth.logout(request)
                messages.warning(request, reason)
            elif now - request.session[ACTIVE_AT] >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[ACTIVE_AT] = now
        return self.get_response(request)


def sign_out_everywhere(user):
    """End every session of this person, on every device and server. Returns how many.

    Sessions are rows of the database session backend (the one configured): they are read
    to find whose they are. Staff are the only people with sessions, so there are few."""
    from django.utils import timezone

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    if not hasattr(store, "get_model_class"):
        raise NotImplementedError(
            "Signing out everywhere needs a database session backend, "
            f"not {settings.SESSION_ENGINE}."
        )
    ended = 0
    rows = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for key, data in rows.values_list("session_key", "session_data").iterator():
        if store().decode(data).get(auth.SESSION_KEY) == str(user.pk):
            store(session_key=key).delete()
            ended += 1
    return ended
