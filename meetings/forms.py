import re
from datetime import timedelta

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

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
        if duration > timedelta(hours=24):
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


class AgendaItemForm(CanonicalTagsMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["text", "is_sub_item", "tags", "position"]


class MeetingAdminForm(CanonicalTagsMixin, forms.ModelForm):
    duration = ApproximateDurationField(
        required=False,
        help_text="Approximate length, e.g. “45 minutes”, “1 hour and 10 minutes” or “1:10”.",
    )

    class Meta:
        model = Meeting
        fields = [
            "relations_page",
            "title",
            "slug",
            "meeting_type",
            "date",
            "start_time",
            "duration",
            "place",
            "lead",
            "tags",
            "state",
            "published_at",
        ]
        widgets = {"lead": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("state") == Meeting.State.PUBLISHED and not cleaned_data.get(
            "published_at"
        ):
            cleaned_data["published_at"] = timezone.now()
        return cleaned_data


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
