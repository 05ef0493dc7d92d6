"""The heartbeat and leave addresses of a meeting's admin page (see `meetings.presence`).

Both take POST only (MeetingAdmin.get_urls wraps them in require_POST)."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from .. import presence
from ..models import Meeting

# What the page sends: its tab token is short hex, its version a number.
TAB_LENGTH = 32


def _meeting_and_tab(model_admin, request, object_id):
    meeting = get_object_or_404(Meeting, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, meeting):
        raise PermissionDenied
    tab = request.POST.get("tab", "")
    if not tab or len(tab) > TAB_LENGTH or not (tab.isascii() and tab.isalnum()):
        raise BadRequest("A presence needs the page's tab token.")
    return meeting, tab


def heartbeat_view(model_admin, request, object_id):
    """The page is still open: who else is, and did the meeting change since it opened?"""
    meeting, tab = _meeting_and_tab(model_admin, request, object_id)
    presence.check_in(meeting, request.user, tab)
    opened = request.POST.get("opened_version", "")
    opened_version = int(opened) if opened.isascii() and opened.isdigit() else None
    return JsonResponse(presence.report(meeting, request.user, opened_version))


def leave_view(model_admin, request, object_id):
    """The page was left (closed, reloaded, navigated away): sent by navigator.sendBeacon."""
    meeting, tab = _meeting_and_tab(model_admin, request, object_id)
    presence.leave(meeting, request.user, tab)
    return HttpResponse(status=204)
