import re
from datetime import timedelta

from django import forms
from django.core import signing
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from . import photo_uploads, revisions
from .importing.limits import MAX_DURATION
from .importing.vocabulary import Vocabulary
from .models import AgendaItem, Meeting, describe_duration

_DURATION_WORDS = re.compile(
    r"^(?:(?:approximately|about|around)\s+)?"
    r"(?:(?P<hours>\d+)\s*(?:hours?|hrs?|h)\b)?\s*(?:and\s+)?"
    r"(?:(?P<minutes>\d+)\s*(?:minutes?|mins?|m)\b)?$",
    re.IGNORECASE,
)
_DURATION_CLOCK = re.compile(r"^(?P<hours>\d+):(?P<minutes>[0-5]\d)(?::00)?$")


def parse_duration_text(text):
    """“45 minutes”, “1 hour and 10 minutes”, “1:10”, “70” → timedelta; None if unreadable."""
    text = text.strip()
    if text.isdigit():
        return timedelta(minutes=int(text))
    match = _DURATION_CLOCK.match(text) or _DURATION_WORDS.match(text)
    if not match or not (match.group("hours") or match.group("minutes")):
        return None
    return timedelta(hours=int(match.group("hours") or 0), minutes=int(match.group("minutes") or 0))


class ApproximateDurationField(forms.CharField):
    """A duration as editors write it; stored as a timedelta."""

    default_error_messages = {
        "invalid": "“%(value)s” is not a duration. Write it like “45 minutes”, "
        "“1 hour and 10 minutes” or “1:10”.",
        "too_long": "A meeting of more than 24 hours? Check the duration.",
        "zero": "A duration must be longer than zero minutes; leave it empty if unknown.",
    }

    def prepare_value(self, value):
        if isinstance(value, timedelta):
            return describe_duration(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        duration = parse_duration_text(value)
        if duration is None:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        if duration <= timedelta(0):
            raise forms.ValidationError(self.error_messages["zero"], code="zero")
        if duration > MAX_DURATION:
            raise forms.ValidationError(self.error_messages["too_long"], code="too_long")
        return duration

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True


class CanonicalTagsMixin:
    """Tags typed by editors land on the topics vocabulary's tag: “dprk” → “North Korea”."""

    def clean_tags(self):
        vocabulary = Vocabulary.from_database()
        names = []
        for name in self.cleaned_data.get("tags") or []:
            canonical = vocabulary.canonical(name)
            if canonical.casefold() not in {n.casefold() for n in names}:
                names.append(canonical)
        return names


class PhotoField(forms.ImageField):
    """An uploaded photo, checked and re-encoded by the server (photo_uploads): the form's
    cleaned value is the new file, so nothing of the upload but its pixels is stored."""

    def to_python(self, data):
        # FileField's, not ImageField's, which would open the file with Pillow before the
        # checks of photo_uploads, and answer any refusal with its one message.
        upload = forms.FileField.to_python(self, data)
        return None if upload is None else photo_uploads.cleaned(upload)

    def widget_attrs(self, widget):
        types = sorted(t for format in photo_uploads.FORMATS.values() for t in format.content_types)
        return {**super().widget_attrs(widget), "accept": ",".join(types)}


class AgendaItemForm(CanonicalTagsMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["text", "text_ja", "is_sub_item", "tags", "position"]


# What the stale-save message calls each part of a meeting.
SNAPSHOT_LABELS = {
    "relations_page": "Relations page",
    "title": "Title",
    "slug": "Slug",
    "meeting_type_id": "Type",
    "date": "Date",
    "start_time": "Start time",
    "duration_minutes": "Duration",
    "place": "Place",
    "lead": "Lead",
    "tags": "Tags",
    "state": "State",
    "published_at": "Publication time",
    "agenda_items": "Agenda items",
    "photo_sessions": "Photo sessions",
    "participants": "Participants",
}


def meeting_snapshot(meeting):
    """The meeting as saved (its revision snapshot, and where and when it is published)."""
    if meeting.pk is None:
        return {}
    return {
        **revisions.read(meeting),
        "relations_page": meeting.relations_page_id,
        "slug": meeting.slug,
        "state": meeting.state,
        "published_at": str(meeting.published_at),
    }


class MeetingAdminForm(CanonicalTagsMixin, forms.ModelForm):
    duration = ApproximateDurationField(
        required=False,
        help_text="Approximate length, e.g. “45 minutes”, “1 hour and 10 minutes” or “1:10”.",
    )
    # What the editor opened, so that a save over someone else's newer one is refused.
    # MeetingAdmin's fieldsets must carry both, or the page never sends them back.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opened_snapshot = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "relations_page",
            "title",
            "title_ja",
            "slug",
            "meeting_type",
            "date",
            "start_time",
            "duration",
            "place",
            "place_ja",
            "lead",
            "lead_ja",
            "tags",
            "expires_at",
        ]
        widgets = {
            # The lead is read whole as it is written: its box grows with it.
            "lead": forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField growing"}),
            "lead_ja": forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField growing"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["opened_version"] = self.instance.edit_version
            self.initial["opened_snapshot"] = signing.dumps(meeting_snapshot(self.instance))

    def clean(self):
        cleaned_data = super().clean()
        self.refuse_stale_save()
        return cleaned_data

    def refuse_stale_save(self):
        """Refuse a save over a change made since the form was opened, whoever made it.

        The row stays locked until the admin's transaction ends (its save included), so of
        two saves from forms opened at the same version exactly one goes through."""
        if not self.instance.pk:
            return
        current = revisions.lock(self.instance)
        opened = self.cleaned_data.get("opened_version")
        if opened == current.edit_version:
            return
        try:
            before = signing.loads(self.cleaned_data.get("opened_snapshot") or "")
        except signing.BadSignature:
            before = {}
        now = meeting_snapshot(current)
        changed = [
            label for key, label in SNAPSHOT_LABELS.items() if before.get(key) != now.get(key)
        ]
        # The form shown again carries the newer version: saving it again, once merged, works.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current.edit_version
        self.data[self.add_prefix("opened_snapshot")] = signing.dumps(now)
        raise forms.ValidationError(
            "Someone else saved this meeting after you opened it%(when)s. Changed meanwhile: "
            "%(changed)s. Your changes are still in this form and nothing was saved: open the "
            "meeting in another tab to see theirs, merge, and save again.",
            code="stale",
            params={
                "when": f" (at {timezone.localtime(current.updated_at):%H:%M:%S})",
                "changed": ", ".join(changed) or "only the save count",
            },
        )


class OrderedInlineFormSet(BaseInlineFormSet):
    """Rows in the order of their positions; rows left without one go last, as shown.

    Two rows typed with the same position are refused by the formset's unique check.

    Positions are unique per meeting in the database, so saving first moves the rows that
    change place (or go) out of the way; otherwise swapping two rows would collide.
    """

    def clean(self):
        super().clean()
        rows = [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and not self._should_delete_form(form)
            and not form.errors
        ]
        highest = max((form.cleaned_data.get("position") or 0 for form in rows), default=0)
        for form in rows:
            if not form.cleaned_data.get("position"):
                highest += 1
                form.cleaned_data["position"] = highest
                form.instance.position = highest
        self.ordered_rows = sorted(rows, key=lambda form: form.cleaned_data["position"])

    def save(self, commit=True):
        if commit:
            moving = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk
                and (self._should_delete_form(form) or "position" in form.changed_data)
            ]
            self.model.objects.filter(pk__in=moving).make_room()
        return super().save(commit)


class AgendaItemFormSet(OrderedInlineFormSet):
    def clean(self):
        super().clean()
        first = self.ordered_rows[0] if self.ordered_rows else None
        if first is not None and first.cleaned_data.get("is_sub_item"):
            first.add_error(
                "is_sub_item",
                "The first item of the overview cannot be a sub-item: "
                "a sub-item belongs to the numbered item above it.",
            )
