"""Who must sign in with a second factor, and whether a session has given one.

PORTAL_TWO_FACTOR_REQUIRED says who must: "publishers" (those who may publish, superusers
among them), "staff" (everyone who signs in to the admin), or "off" (nobody is made to).
Whatever it says, a person who has set up an authenticator app or a passkey is asked for it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from meetings import workflow

from . import devices


def is_required_for(user):
    required = settings.PORTAL_TWO_FACTOR_REQUIRED
    if required == "staff":
        return user.is_staff
    if required == "publishers":
        return user.is_staff and workflow.can_publish(user)
    return False


def is_enrolled(user):
    """Has a confirmed authenticator app or passkey (recovery codes only stand in for them).
    Asked several times a request by the admin: the answer is kept on the user for the
    request."""
    if not hasattr(user, "_has_second_factor"):
        user._has_second_factor = devices.has_second_factor(user)
    return user._has_second_factor


def is_verified(user):
    """This session was signed in with a code (django-otp's middleware tells)."""
    return getattr(user, "is_verified", lambda: False)()


def must_enrol(user):
    """Signed in with a password alone, and must set up an app or a passkey first."""
    return (
        user.is_authenticated
        and not is_verified(user)
        and is_required_for(user)
        and not is_enrolled(user)
    )


def has_passed(user):
    """May use the admin: signed in with a code, or neither enrolled nor required to be."""
    if is_verified(user):
        return True
    return not is_required_for(user) and not is_enrolled(user)


def required_among_staff(viewer):
    """The ids of the staff who must use it, in one query (for a list of everyone)."""
    required = settings.PORTAL_TWO_FACTOR_REQUIRED
    if required == "staff":
        return set(get_user_model().objects.filter(is_staff=True).values_list("pk", flat=True))
    if required == "publishers":
        others = workflow.publishers_besides(viewer).values_list("pk", flat=True)
        return set(others) | ({viewer.pk} if workflow.can_publish(viewer) else set())
    return set()
