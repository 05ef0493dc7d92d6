"""Who may take which step: publishers, and the site itself when a command names it."""

from django.core.exceptions import PermissionDenied

PUBLISH_PERMISSION = "meetings.publish_meeting"


class _Site:
    """The site itself, taking a step for a command (`import_readout --publish`): a publisher
    with no name, whose steps are logged with no person. Passed explicitly, never assumed."""

    pk = None

    def __str__(self):
        return "the site"


SITE = _Site()


def can_publish(user):
    return user is SITE or (user is not None and user.has_perm(PUBLISH_PERMISSION))


def person_of(actor):
    """The user to record for an actor: None for the site."""
    return None if actor is SITE else actor


def require_publisher(user):
    if not can_publish(user):
        raise PermissionDenied("Only publishers may publish, schedule or take down meetings.")


def refusal(error):
    """The words of a refused step (ValidationError or PermissionDenied), for a message."""
    return " ".join(getattr(error, "messages", None) or [str(error)])
