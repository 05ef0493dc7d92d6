"""The editors' “Import readouts” page: paste or upload, preview, confirm.

Nothing is written until the editor confirms what the preview shows, and then all the
readouts are written in one transaction: an error leaves the database as it was and the
pasted text in the form.

Publishers may choose an archive back-fill instead of drafts (see `workflow.backfill`): the
choice travels from the first form to the confirmation, and is checked again there.
"""

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import formset_factory
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import workflow
from ..importing import ReadoutError, Vocabulary, decode, limits, parse_readout, save_readout
from ..importing.preview import numbered
from ..importing.saving import backfill_time, existing_for
from ..models import Meeting, MeetingType
from ..topics import split_tag_names, tag_input


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Paste a readout",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100, "spellcheck": "false"}),
        help_text="As copied from the readout page, from the relations page's title on the "
        "first line to “Back to …” on the last.",
    )
    files = MultipleFileField(label="Or upload readout files", required=False)
    backfill = forms.BooleanField(
        label="Archive back-fill: publish at each meeting’s own date, without announcing",
        required=False,
        help_text="For readouts of past meetings brought in from an archive. Each new meeting "
        "is published at once, dated by its meeting (its end, or noon, in the ministry’s time "
        "zone); nothing announces it as new: no emails, and feeds and the sitemap date it by "
        "its meeting, not today. Meetings already on the portal are skipped; a meeting yet to "
        "come is refused.",
    )

    def __init__(self, *args, can_backfill=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = (
            "One or more .txt files in UTF-8, one readout each (up to "
            f"{settings.PORTAL_IMPORT_MAX_FILES} files of at most "
            f"{limits.size_text(settings.PORTAL_IMPORT_MAX_BYTES)} each)."
        )
        if not can_backfill:
            # A back-fill publishes: only publishers are offered it.
            del self.fields["backfill"]

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > settings.PORTAL_IMPORT_MAX_FILES:
            raise ValidationError(
                f"Upload at most {settings.PORTAL_IMPORT_MAX_FILES} files at a time."
            )
        return files

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("files"):
            raise ValidationError("Paste a readout or choose files to upload.")
        return cleaned

    def sources(self):
        """(name, text or ReadoutError) for the pasted text and each uploaded file.

        Size is judged as on the command line: a file past PORTAL_IMPORT_MAX_BYTES is
        reported like any other bad readout, and only that much of it is read."""
        sources = []
        text = self.cleaned_data["text"]
        if text.strip():
            try:
                limits.check_size(len(text.encode()))
                sources.append(("pasted text", text))
            except ReadoutError as error:
                sources.append(("pasted text", error))
        for upload in self.cleaned_data["files"]:
            try:
                sources.append(
                    (upload.name, decode(upload.read(settings.PORTAL_IMPORT_MAX_BYTES + 1)))
                )
            except ReadoutError as error:
                sources.append((upload.name, error))
        return sources


class ReadoutForm(forms.Form):
    """One readout in the confirmation: its text and name travel back unseen, its topics
    as the editor settled them."""

    text = forms.CharField(strip=False, widget=forms.Textarea(attrs={"hidden": True}))
    source = forms.CharField(widget=forms.HiddenInput)
    # A text area: a meeting often names more topics than one line of an input shows.
    tags = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "aria-label": "Topics of the meeting"}),
    )


class ItemTopicsForm(forms.Form):
    tags = forms.CharField(required=False)


# The confirmation: a form per readout (readout-N-…), and in each a form per agenda item,
# sub-items included, in the order of the text (readout-N-item-M-tags).
ReadoutFormSet = formset_factory(ReadoutForm, extra=0)
ItemTopicsFormSet = formset_factory(ItemTopicsForm, extra=0)
PREFIX = "readout"


class Readout:
    """One readout on its way in: where it came from, its text, what it became, and its
    form in the confirmation (with `data`: as the editor confirmed it)."""

    def __init__(self, form, source, text, vocabulary, data=None, *, backfill=False):
        self.form, self.source, self.text = form, source, text
        self.parsed = self.error = self.page = self.existing = self.items = None
        self.backfill_at = None
        try:
            if isinstance(text, ReadoutError):
                raise text
            self.parsed = parse_readout(text, vocabulary)
            self.items = self._item_forms(data)
            if data is not None:
                self._apply_confirmed_tags()
                # The topics the editor typed must fit their column as the suggested ones do.
                limits.check_lengths(self.parsed)
            if backfill:
                self.backfill_at = backfill_time(self.parsed)
        except ReadoutError as error:
            self.parsed = None
            self.error = error.located(source)
            return
        if data is None:
            self.form.initial["tags"] = tag_input(self.parsed.tags)
        self.page, self.existing = existing_for(self.parsed)
        self.meeting_type = MeetingType.objects.filter(slug=self.parsed.meeting_type_slug).first()
        self.overview = self._overview()

    def _item_forms(self, data):
        prefix = self.form.add_prefix("item")
        if data is not None:
            confirmed = ItemTopicsFormSet(data, prefix=prefix)
            if confirmed.is_valid():
                return confirmed
        suggested = [{"tags": tag_input(item.tags)} for item in self.parsed.agenda_items]
        return ItemTopicsFormSet(prefix=prefix, initial=suggested)

    def _apply_confirmed_tags(self):
        """The topics the editor settled on in the preview, in place of the suggested ones."""
        self.parsed.tags = split_tag_names(self.form.cleaned_data["tags"])
        if self.items.is_bound:
            for item, form in zip(self.parsed.agenda_items, self.items.forms, strict=False):
                item.tags = split_tag_names(form.cleaned_data.get("tags", ""))

    def _overview(self):
        forms = dict(zip(map(id, self.parsed.agenda_items), self.items.forms, strict=False))

        def entry(number, item, label):
            form = forms.get(id(item))
            if form is not None:
                form.fields["tags"].widget.attrs["aria-label"] = f"Topics of {label}"
            return {"number": number, "item": item, "form": form}

        return [
            {
                **entry(number, item, f"item {number}"),
                "sub_items": [entry(n, sub, f"sub-item {number} {n}") for n, sub in subs],
            }
            for number, item, subs in numbered(self.parsed)
        ]


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Meeting._meta,
        "title": "Import readouts",
    }
    vocabulary = Vocabulary.from_database()
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, context, vocabulary)
    form = ImportForm(
        request.POST or None, request.FILES or None, can_backfill=workflow.can_publish(request.user)
    )
    if request.method == "POST" and form.is_valid():
        backfill = form.cleaned_data.get("backfill", False)
        sources = form.sources()
        formset = ReadoutFormSet(
            prefix=PREFIX,
            initial=[
                {"source": name, "text": "" if isinstance(text, ReadoutError) else text}
                for name, text in sources
            ],
        )
        readouts = [
            Readout(readout_form, name, text, vocabulary, backfill=backfill)
            for readout_form, (name, text) in zip(formset.forms, sources, strict=True)
        ]
        return _preview(request, context, form, formset, readouts, backfill=backfill)
    return TemplateResponse(request, "admin/meetings/import_form.html", {**context, "form": form})


def _confirm(request, context, vocabulary):
    # The preview carries the choice as a hidden field: checked again, since it publishes.
    backfill = request.POST.get("backfill") == "on"
    can_backfill = workflow.can_publish(request.user)
    if backfill and not can_backfill:
        raise PermissionDenied
    formset = ReadoutFormSet(request.POST, prefix=PREFIX)
    readouts = []
    if formset.is_valid():
        readouts = [
            Readout(form, data["source"], data["text"], vocabulary, request.POST, backfill=backfill)
            for form in formset.forms
            if (data := form.cleaned_data)
        ]
    if all_parsed(readouts):
        try:
            saved = _save_all(readouts, request, backfill=backfill)
        except (ReadoutError, ValidationError, PermissionDenied) as error:
            messages.error(request, f"Nothing was imported: {error}")
        else:
            messages.success(request, _done_message(saved, backfill=backfill))
            return TemplateResponse(
                request,
                "admin/meetings/import_done.html",
                {
                    **context,
                    "saved": [
                        (result, url, None if backfill else what_became_of(result))
                        for result, url in saved
                    ],
                    "backfill": backfill,
                },
            )
    form = ImportForm(initial={"backfill": backfill}, can_backfill=can_backfill)
    return _preview(request, context, form, formset, readouts, backfill=backfill)


def _done_message(saved, *, backfill):
    if not backfill:
        kinds = Counter(what_became_of(result) for result, _ in saved)
        outcomes = ", ".join(
            f"{count} {kind if count == 1 else PLURALS[kind]}" for kind, count in kinds.items()
        )
        return f"Imported {len(saved)} readout{pluralize(len(saved))}: {outcomes}."
    skipped = sum(1 for result, _ in saved if result.skipped)
    message = (
        f"Back-filled {len(saved) - skipped} readout(s), published at their meeting dates "
        "without announcing them"
    )
    return f"{message}; skipped {skipped} already on the portal." if skipped else f"{message}."


PLURALS = {
    "new draft": "new drafts",
    "correction of a published meeting": "corrections of published meetings",
    "draft updated": "drafts updated",
    "meeting in review updated": "meetings in review updated",
}


def what_became_of(result):
    """What an import (not a back-fill) made of a readout, as the done page says it."""
    if result.created:
        return "new draft"
    if result.meeting.draft_of_id:
        return "correction of a published meeting"
    if result.meeting.state == Meeting.State.IN_REVIEW:
        return "meeting in review updated"
    return "draft updated"


def _preview(request, context, form, formset, readouts, *, backfill=False):
    return TemplateResponse(
        request,
        "admin/meetings/import_preview.html",
        {
            **context,
            "form": form,
            "formset": formset,
            "readouts": readouts,
            "ready": all_parsed(readouts),
            "backfill": backfill,
        },
    )


def all_parsed(readouts):
    return bool(readouts) and all(r.parsed for r in readouts)


def _save_all(readouts, request, *, backfill=False):
    saved = []
    with transaction.atomic():
        for readout in readouts:
            try:
                result = save_readout(readout.parsed, backfill=backfill, by=request.user)
            except ReadoutError as error:
                raise ReadoutError(error.located(readout.source)) from None
            except ValidationError as error:
                raise ReadoutError(f"{readout.source}: {'; '.join(error.messages)}") from None
            if not result.skipped:
                LogEntry.objects.log_actions(
                    request.user.pk,
                    [result.meeting],
                    ADDITION if result.created else CHANGE,
                    change_message=f"{'Back-filled' if backfill else 'Imported'} from "
                    f"{readout.source}.",
                    single_object=True,
                )
            saved.append(
                (result, reverse("admin:meetings_meeting_change", args=[result.meeting.pk]))
            )
    return saved
