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


def publishers_besides(user):
    """Active staff who may publish, other than this person: who could approve what they
    submitted. Superusers, and holders of the permission through a group or directly."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    app_label, codename = PUBLISH_PERMISSION.split(".")
    holds_permission = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | holds_permission)
        .exclude(pk=user.pk)
        .distinct()
    )


def person_of(actor):
    """The user to record for an actor: None for the site."""
    return None if actor is SITE else actor


def require_publisher(user):
    if not can_publish(user):
        raise PermissionDenied("Only publishers may publish, schedule or take down meetings.")


def refusal(error):
    """The words of a refused step (ValidationError or PermissionDenied), for a message."""
    return " ".join(getattr(error, "messages", None) or [str(error)])
