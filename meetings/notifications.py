"""Emails about the workflow: publishers hear of work to review, authors of the outcome.

Sent once the step's transaction commits, through Django's email backend (the console in
development; SMTP as configured by the DJANGO_EMAIL_* settings in production).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse


def publishers(excluding=None):
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename="publish_meeting")
        | Q(user_permissions__codename="publish_meeting")
    ).distinct()
    if excluding is not None:
        users = users.exclude(pk=excluding.pk)
    return list(users)


def submitted_for_review(meeting, by):
    _send(
        publishers(excluding=by),
        f"For review: {meeting.title}",
        f"{_name(by)} submitted “{meeting.title}” ({meeting.relations_page.title}) for review.",
        meeting,
    )


def published_without_review(meeting, by, reason):
    _send(
        publishers(excluding=by),
        f"Published without review: {meeting.title}",
        f"{_name(by)} published “{meeting.title}” without review, because: {reason}\n"
        "Another publisher needs to review it.",
        meeting,
    )


def reviewed(meeting, by, outcome, comment=""):
    author = meeting.submitted_by
    if author is None or not author.email or author == by:
        return
    note = f"\n\nComment: {comment}" if comment else ""
    _send(
        [author],
        f"{outcome.capitalize()}: {meeting.title}",
        f"{_name(by)} {outcome} “{meeting.title}”.{note}",
        meeting,
    )


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "The site"


def _send(recipients, subject, body, meeting):
    if not recipients:
        return
    link = settings.PORTAL_BASE_URL + reverse("admin:meetings_meeting_change", args=[meeting.pk])
    messages = [
        (subject, f"{body}\n\n{link}\n", settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in recipients
    ]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
