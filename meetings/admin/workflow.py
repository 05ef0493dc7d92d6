"""The workflow panel on a meeting's admin page, and the view its buttons post to."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from portal.site import time_zone_name

from .. import revisions, workflow
from ..models import Meeting, PreviewLink
from ..views import render_preview

State = Meeting.State


class PublicMeetingField(forms.CharField):
    """A public meeting, named by the address of its page (as copied from the browser, in
    either language) or by its number. A list to choose from would hold every public
    meeting: at 50,000 it took seconds to render."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 60}))
        super().__init__(**kwargs)
        self.excluded = None

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        meeting = public_meeting_named(value)
        if meeting is None:
            raise ValidationError(
                f"No public meeting has the address or number “{value}”: copy the address "
                "of its page on the public site."
            )
        if meeting.pk == self.excluded:
            raise ValidationError("A meeting cannot be merged into itself.")
        return meeting


def public_meeting_named(value):
    """The public meeting at this address (a full URL or a path) or with this number."""
    public = Meeting.objects.published()
    if value.isdigit():
        return public.filter(pk=int(value)).first()
    path = urlsplit(value).path
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            try:
                found = resolve(path)
            except Resolver404:
                continue
        if found.view_name == "relations:meeting":
            return public.at_address(**found.kwargs).first()
    return None


class TransitionForm(forms.Form):
    """The form of one workflow step: the fields that step takes, and no other.

    The panel renders one per step ("Take down" with its fields and its button); the view
    reads the one for the step posted, so a field forged for another step is ignored."""

    # The version of the meeting the person saw: a step acts on that version or not at all.
    opened_version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        required=False,
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="For the log.",
    )
    publish_at = forms.DateTimeField(
        required=False,
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Empty: now. A later time schedules the meeting.",
    )
    takedown = forms.ChoiceField(
        required=False, choices=[("", "—"), *Meeting.Takedown.choices], label="How"
    )
    merged_into = PublicMeetingField(
        required=False,
        label="Merged into",
        help_text="When it was merged: the address of the public meeting its address now "
        "leads to (or that meeting's number).",
    )
    expires_at = forms.DateTimeField(
        required=False,
        label="Expiry time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="When the meeting leaves the public site by itself. Empty: never.",
    )
    major = forms.BooleanField(
        required=False,
        label="Major correction",
        help_text="A major one is announced to readers with a change note.",
    )
    change_note = forms.CharField(
        required=False,
        label="Public change note",
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Shown on the page and in the feeds as “Updated on <date>: <note>”.",
    )

    def __init__(self, step, meeting, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{step}_%s")  # several steps' fields on one page
        super().__init__(*args, **kwargs)
        self.step = step
        # This step's fields only, in the order the step reads them.
        self.fields = {
            name: self.fields[name] for name in ["opened_version", *step_fields(step, meeting)]
        }
        if "comment" in self.fields:
            label, help_text = COMMENTS.get(step, ("Comment", "For the log; optional."))
            self.fields["comment"].label = label
            self.fields["comment"].help_text = help_text
        for name in ("publish_at", "expires_at"):
            if name in self.fields:
                # The time typed is the ministry's, whatever the browser's zone: say which.
                self.fields[name].label = f"{self.fields[name].label}, {time_zone_name()}"
        if "merged_into" in self.fields:
            self.fields["merged_into"].excluded = meeting.pk


# The fields each step takes besides opened_version (see step_fields for corrections).
STEP_FIELDS = {
    "submit": ["comment"],
    "correct": [],
    "approve": ["publish_at", "comment"],
    "reject": ["comment"],
    "publish_without_review": ["comment", "publish_at"],
    "approve_retrospectively": ["comment"],
    "unschedule": ["comment"],
    "set_expiry": ["expires_at", "comment"],
    "take_down": ["takedown", "merged_into", "comment"],
    "restore": ["comment"],
}

# What the comment is for at each step: (label, help text).
COMMENTS = {
    "reject": ("Comment for the editor", "Required: what to change."),
    "publish_without_review": (
        "Reason",
        "Required: why this cannot wait for a review. Another publisher approves it afterwards.",
    ),
    "take_down": (
        "Note for readers",
        "Required to withdraw: shown with the withdrawal notice.",
    ),
}


def step_fields(step, meeting):
    """The fields of a step for this meeting. A correction is published onto the live
    meeting at once (no publication time); approving one says whether it is major."""
    if meeting.draft_of_id and step == "approve":
        return ["major", "change_note", "comment"]
    if meeting.draft_of_id and step == "publish_without_review":
        return ["comment"]
    return STEP_FIELDS[step]


def step_forms(meeting, user):
    """[(name, label, its form)] of the steps open to this person now, for the panel."""
    return [
        (
            name,
            label,
            TransitionForm(name, meeting, initial={"opened_version": meeting.edit_version}),
        )
        for name, label in available(meeting, user)
    ]


def available(meeting, user):
    """The transitions this person may try on the meeting now, as (name, label)."""
    publisher = workflow.can_publish(user)
    actions = []
    if meeting.state == State.DRAFT:
        actions.append(("submit", "Submit for review"))
        if publisher:
            actions.append(("publish_without_review", "Publish without review…"))
    elif meeting.state == State.IN_REVIEW and publisher:
        if may_approve(meeting, user):
            actions.append(("approve", "Approve and publish"))
        actions += [
            ("reject", "Reject, back to draft"),
            ("publish_without_review", "Publish without review…"),
        ]
    elif meeting.state == State.PUBLISHED:
        actions.append(("correct", "Correct: work on a draft of this published meeting"))
        if publisher:
            if not meeting.is_public:
                actions.append(("unschedule", "Unschedule, back to review"))
            if meeting.unreviewed:
                actions.append(("approve_retrospectively", "Approve (reviewed after publication)"))
            actions.append(("set_expiry", "Set the expiry time"))
            actions.append(("take_down", "Take down"))
    elif meeting.state == State.TAKEN_DOWN and publisher:
        actions.append(("restore", "Restore as a new draft"))
    return actions


def may_approve(meeting, user):
    return user.pk != meeting.submitted_by_id and not (
        meeting.changed_in_review_by.filter(pk=user.pk).exists()
    )


def may_restore_revisions(meeting, user):
    """A revision restored over a taken-down meeting makes it a draft: a publisher's step."""
    return meeting.state != State.TAKEN_DOWN or workflow.can_publish(user)


def unavailable(meeting, user):
    """Why a step this person might look for is not offered to them now."""
    publisher = workflow.can_publish(user)
    notes = []
    if meeting.state == State.DRAFT and not publisher:
        notes.append(
            "Publishing is a publisher’s step: submit the meeting for review, and a publisher "
            "approves it."
        )
    if meeting.state == State.IN_REVIEW and not publisher:
        notes.append(
            "A publisher reviews it now: they approve it or send it back to you with a "
            "comment. You can still edit it meanwhile."
        )
    if meeting.state == State.IN_REVIEW and publisher and not may_approve(meeting, user):
        if user.pk == meeting.submitted_by_id:
            notes.append("You submitted this meeting: another publisher approves it.")
        else:
            notes.append(
                "You changed this meeting after it was submitted: another publisher reviews "
                "your changes and approves it."
            )
        if not workflow.publishers_besides(user).exists():
            notes.append(
                "There is no other publisher yet. The web team adds one with "
                "“manage.py add_person NAME --role publisher”; until then, “Publish without "
                "review” publishes it with your reason, and it stays marked for review."
            )
    if meeting.state == State.PUBLISHED and not publisher:
        notes.append(
            "Expiry and taking down are publishers’ steps; a correction you start is "
            "reviewed like a new meeting."
        )
    if meeting.state == State.TAKEN_DOWN and not publisher:
        notes.append("A taken-down meeting is restored by a publisher.")
    return notes


def transition_view(model_admin, request, object_id):
    meeting = get_object_or_404(Meeting, pk=object_id)
    if request.method != "POST" or not model_admin.has_view_or_change_permission(request, meeting):
        raise PermissionDenied
    action = request.POST.get("transition", "")
    back = redirect("admin:meetings_meeting_change", meeting.pk)
    if action not in dict(available(meeting, request.user)):
        messages.error(request, "That step is not open to you for this meeting now.")
        return back
    form = TransitionForm(action, meeting, request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else "The step"
            messages.error(request, f"{label}: {' '.join(errors)}")
        return back
    try:
        # Each step is a transaction of its own: it happens whole, or not at all.
        result = STEPS[action](meeting, request.user, form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, workflow.refusal(error))
        return back
    # Each step returns the meeting it leaves for the person to see: a correction's draft,
    # the published meeting a correction was applied to, or the meeting itself.
    messages.success(request, f"The meeting is now: {describe_state(result)}.")
    if action == "correct":
        messages.info(request, "Edit this draft; the public keeps the published version.")
    return redirect("admin:meetings_meeting_change", result.pk)


# Each button of the panel: the workflow step it takes, given the form's cleaned data. A
# publication acts on the version the person saw (opened_version), or not at all.
STEPS = {
    "submit": lambda m, user, data: workflow.submit_for_review(m, by=user, comment=data["comment"]),
    "correct": lambda m, user, data: workflow.start_correction(m, by=user),
    "approve": lambda m, user, data: workflow.approve(
        m,
        by=user,
        at=data.get("publish_at"),
        comment=data["comment"],
        major=data.get("major", False),
        change_note=data.get("change_note", ""),
        version=data["opened_version"],
    ),
    "reject": lambda m, user, data: workflow.reject(m, by=user, comment=data["comment"]),
    "publish_without_review": lambda m, user, data: workflow.publish_without_review(
        m,
        by=user,
        reason=data["comment"],
        at=data.get("publish_at"),
        version=data["opened_version"],
    ),
    "approve_retrospectively": lambda m, user, data: workflow.approve_retrospectively(
        m, by=user, comment=data["comment"]
    ),
    "unschedule": lambda m, user, data: workflow.unschedule(m, by=user, comment=data["comment"]),
    "set_expiry": lambda m, user, data: workflow.set_expiry(
        m, by=user, at=data["expires_at"], comment=data["comment"]
    ),
    "take_down": lambda m, user, data: workflow.take_down(
        m,
        by=user,
        kind=data["takedown"] or Meeting.Takedown.WITHDRAWN,
        note=data["comment"],
        merged_into=data["merged_into"],
    ),
    "restore": lambda m, user, data: workflow.restore_as_draft(m, by=user, comment=data["comment"]),
}


def describe_state(meeting):
    if meeting.draft_of_id:
        return f"correction of a published meeting, {meeting.get_state_display().lower()}"
    if meeting.state == State.PUBLISHED and not meeting.is_public:
        return f"scheduled for {timezone.localtime(meeting.published_at):%Y-%m-%d %H:%M %Z}"
    if meeting.state == State.TAKEN_DOWN:
        return Meeting.Takedown(meeting.takedown).label.split(":")[0].lower()
    text = meeting.get_state_display().lower()
    return f"{text}, not yet reviewed" if meeting.unreviewed else text


def staff_preview_view(model_admin, request, object_id):
    """The meeting, or with ?revision=N one of its revisions, as its public page."""
    meeting = get_object_or_404(Meeting, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, meeting):
        raise PermissionDenied
    number = request.GET.get("revision", "")
    if number:
        subject = meeting.draft_of or meeting
        # isdigit() is true of “²”, which int() refuses: only ASCII digits name a revision.
        revision = get_object_or_404(
            subject.revisions, number=int(number) if number.isascii() and number.isdigit() else -1
        )
        return render_preview(request, revisions.as_meeting(revision), revision=revision)
    return render_preview(request, meeting)


def share_preview_view(model_admin, request, object_id):
    meeting = get_object_or_404(Meeting, pk=object_id)
    if request.method != "POST":
        raise PermissionDenied
    try:
        days = int(request.POST.get("days", "7"))
        link = workflow.share_preview(meeting, by=request.user, days=days)
    except ValueError:
        messages.error(request, "Give the number of days the link should work.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, workflow.refusal(error))
    else:
        url = request.build_absolute_uri(link.get_absolute_url())
        messages.success(request, f"Preview link, valid for {days} day(s): {url}")
    return redirect("admin:meetings_meeting_change", meeting.pk)


def revoke_preview_view(model_admin, request, object_id, link_id):
    meeting = get_object_or_404(Meeting, pk=object_id)
    link = get_object_or_404(PreviewLink, pk=link_id, meeting=meeting)
    if request.method != "POST":
        raise PermissionDenied
    try:
        workflow.revoke_preview(link, by=request.user)
    except PermissionDenied as error:
        messages.error(request, workflow.refusal(error))
    else:
        messages.success(request, "The preview link no longer works.")
    return redirect("admin:meetings_meeting_change", object_id)


def revisions_view(model_admin, request, object_id):
    """The meeting's revisions: who, when, which step; compare any two; restore one."""
    meeting = get_object_or_404(Meeting, pk=object_id)
    subject = meeting.draft_of or meeting
    if not model_admin.has_view_or_change_permission(request, subject):
        raise PermissionDenied
    history = list(subject.revisions.select_related("created_by"))
    if request.method == "POST":
        return _restore_revision(request, subject, history)
    by_number = {str(r.number): r for r in history}
    older, newer = by_number.get(request.GET.get("a")), by_number.get(request.GET.get("b"))
    if older and newer and older.number > newer.number:
        older, newer = newer, older
    return TemplateResponse(
        request,
        "admin/meetings/revisions.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": Meeting._meta,
            "title": f"Revisions of “{subject}”",
            "meeting": subject,
            "history": history,
            "older": older,
            "newer": newer,
            "diff": revisions.diff(older, newer) if older and newer else None,
            "can_restore": may_restore_revisions(subject, request.user),
        },
    )


def _restore_revision(request, subject, history):
    revision = next((r for r in history if str(r.number) == request.POST.get("restore")), None)
    if revision is None:
        messages.error(request, "Choose a revision to restore.")
        return redirect("admin:meetings_meeting_revisions", subject.pk)
    try:
        draft = workflow.restore_revision(revision, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, workflow.refusal(error))
        return redirect("admin:meetings_meeting_revisions", subject.pk)
    messages.success(request, f"Revision {revision.number} is restored as a draft.")
    return redirect("admin:meetings_meeting_change", draft.pk)
