"""Who else has a meeting's admin page open, and whether the meeting changed meanwhile.

Each open page checks in when it is shown and then sends a heartbeat every
`HEARTBEAT_SECONDS`; a person counts as present while their heartbeats arrive (within
`PRESENT_FOR`), and leaving the page removes them at once. Rows older than that are
deleted at each check-in, so the table holds only the pages open now. The state is in the
database, so it holds with several app servers. This only informs: a save over someone
else's newer one is still refused by the form's stale-save check.
"""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import EditingPresence, MeetingRevision

HEARTBEAT_SECONDS = 25
PRESENT_FOR = timedelta(seconds=90)

# The role shown beside a name, from the groups the migrations make.
ROLES = {"Publishers": "publisher", "Editors": "editor"}


def new_tab():
    """A token for one page load, so one person's two tabs are two presences."""
    return secrets.token_hex(8)


def check_in(meeting, user, tab):
    """`user` has the meeting open in `tab` now; forget everyone whose heartbeats stopped.

    Returns the presence. A constant number of queries, however many people are there."""
    now = timezone.now()
    EditingPresence.objects.filter(last_seen__lt=now - PRESENT_FOR).delete()
    presence = EditingPresence(meeting=meeting, user=user, tab=tab, opened_at=now, last_seen=now)
    if EditingPresence.objects.filter(meeting=meeting, user=user, tab=tab).update(last_seen=now):
        return presence
    try:
        with transaction.atomic():
            presence.save()
    except IntegrityError:  # the same tab's heartbeat, a moment earlier
        pass
    return presence


def leave(meeting, user, tab):
    EditingPresence.objects.filter(meeting=meeting, user=user, tab=tab).delete()


def others_on(meeting, user):
    """Everyone else with the meeting open, one entry per person (their earliest tab), as
    dicts of user, name, role and since. Two queries."""
    rows = (
        EditingPresence.objects.filter(meeting=meeting, last_seen__gte=timezone.now() - PRESENT_FOR)
        .exclude(user=user)
        .select_related("user")
        .prefetch_related("user__groups")
        .order_by("opened_at", "pk")
    )
    people = {}
    for row in rows:
        people.setdefault(
            row.user_id,
            {
                "user": row.user,
                "name": name_of(row.user),
                "role": role_of(row.user),
                "since": row.opened_at,
            },
        )
    return list(people.values())


def name_of(user):
    return user.get_full_name() or user.get_username()


def role_of(user):
    groups = {group.name for group in user.groups.all()}
    for group, role in ROLES.items():
        if group in groups:
            return role
    return "administrator" if user.is_superuser else "staff"


def clock(moment):
    return f"{timezone.localtime(moment):%H:%M}"


def describe_others(others):
    """“Also open here: Alice (editor) since 10:42, Bob (publisher) since 10:45.”"""
    if not others:
        return ""
    people = ", ".join(f"{o['name']} ({o['role']}) since {clock(o['since'])}" for o in others)
    return f"Also open here: {people}."


def last_change(meeting, opened_version, user):
    """What changed the meeting since the person opened it at `opened_version`: a sentence,
    or "" if nothing did. One query when it changed, none otherwise."""
    if opened_version is None or opened_version == meeting.edit_version:
        return ""
    subject_id = meeting.draft_of_id or meeting.pk
    revision = (
        MeetingRevision.objects.filter(meeting_id=subject_id)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )
    if revision is None:
        return "This meeting changed since you opened it: reload before saving."
    if revision.created_by_id == user.pk:
        who = "You"
        where = " (in another tab or window)"
    elif revision.created_by is None:
        who, where = "The site", ""
    else:
        who, where = name_of(revision.created_by), ""
    step = revision.event.split(". ")[0].rstrip(".")
    did = "saved changes" if step == "Saved in the admin" else f"changed it ({step.lower()})"
    return (
        f"{who} {did} at {clock(revision.created_at)}{where}: reload before saving. A save "
        "from this page is refused now; what you typed here is kept in this browser."
    )


def report(meeting, user, opened_version=None):
    """The heartbeat's answer: who else is there, and whether the meeting changed."""
    others = others_on(meeting, user)
    return {
        "others": [
            {"name": o["name"], "role": o["role"], "since": o["since"].isoformat()} for o in others
        ],
        "others_text": describe_others(others),
        "version": meeting.edit_version,
        "changed_text": last_change(meeting, opened_version, user),
    }
