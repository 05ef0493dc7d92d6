"""The editors' “Import readouts” page: paste or upload, preview, confirm.

Nothing is written until the editor confirms what the preview shows, and then all the
readouts are written in one transaction: an error leaves the database as it was and the
pasted text in the form.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse

from ..importing import ReadoutError, Vocabulary, decode, limits, parse_readout, save_readout
from ..importing.preview import numbered
from ..importing.saving import existing_for
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = (
            "One or more .txt files in UTF-8, one readout each (up to "
            f"{settings.PORTAL_IMPORT_MAX_FILES} files of at most "
            f"{limits.size_text(settings.PORTAL_IMPORT_MAX_BYTES)} each)."
        )

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


class Readout:
    """One readout on its way in: where it came from, its text, and what it became."""

    def __init__(self, index, source, text, vocabulary, confirmed_tags=None):
        self.index, self.source, self.text = index, source, text
        self.parsed = self.error = None
        self.page = self.existing = None
        try:
            if isinstance(text, ReadoutError):
                raise text
            self.parsed = parse_readout(text, vocabulary)
            if confirmed_tags is not None:
                self.apply_tags(confirmed_tags)
                # The topics the editor typed must fit their column as the suggested ones do.
                limits.check_lengths(self.parsed)
        except ReadoutError as error:
            self.parsed = None
            self.error = error.located(source)
            return
        self.page, self.existing = existing_for(self.parsed)
        self.tags = tag_input(self.parsed.tags)
        self.meeting_type = MeetingType.objects.filter(slug=self.parsed.meeting_type_slug).first()
        index = {id(item): i for i, item in enumerate(self.parsed.agenda_items)}
        self.overview = [
            {
                "number": number,
                "item": item,
                "field": self.prefix(f"item-{index[id(item)]}-tags"),
                "tags": tag_input(item.tags),
                "sub_items": [
                    {
                        "number": n,
                        "item": sub,
                        "field": self.prefix(f"item-{index[id(sub)]}-tags"),
                        "tags": tag_input(sub.tags),
                    }
                    for n, sub in subs
                ],
            }
            for number, item, subs in numbered(self.parsed)
        ]

    def prefix(self, name):
        return f"readout-{self.index}-{name}"

    def apply_tags(self, data):
        """The tags the editor settled on in the preview, in place of the suggested ones."""
        if self.prefix("tags") in data:
            self.parsed.tags = split_tag_names(data[self.prefix("tags")])
        for number, item in enumerate(self.parsed.agenda_items):
            key = self.prefix(f"item-{number}-tags")
            if key in data:
                item.tags = split_tag_names(data[key])


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
        readouts = _readouts_from_confirmation(request.POST, vocabulary)
        if all_parsed(readouts):
            try:
                saved = _save_all(readouts, request)
            except (ReadoutError, ValidationError) as error:
                messages.error(request, f"Nothing was imported: {error}")
            else:
                messages.success(request, f"Imported {len(saved)} readout(s) as drafts.")
                return TemplateResponse(
                    request, "admin/meetings/import_done.html", {**context, "saved": saved}
                )
        return TemplateResponse(
            request,
            "admin/meetings/import_preview.html",
            {**context, "readouts": readouts, "form": ImportForm(), "ready": all_parsed(readouts)},
        )

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        readouts = [
            Readout(index, source, text, vocabulary)
            for index, (source, text) in enumerate(form.sources())
        ]
        return TemplateResponse(
            request,
            "admin/meetings/import_preview.html",
            {**context, "readouts": readouts, "form": form, "ready": all_parsed(readouts)},
        )
    return TemplateResponse(request, "admin/meetings/import_form.html", {**context, "form": form})


def all_parsed(readouts):
    return bool(readouts) and all(r.parsed for r in readouts)


def _readouts_from_confirmation(data, vocabulary):
    readouts, index = [], 0
    while f"readout-{index}-text" in data:
        source = data.get(f"readout-{index}-source", f"readout {index + 1}")
        readouts.append(Readout(index, source, data[f"readout-{index}-text"], vocabulary, data))
        index += 1
    return readouts


def _save_all(readouts, request):
    saved = []
    with transaction.atomic():
        for readout in readouts:
            try:
                result = save_readout(readout.parsed)
            except ReadoutError as error:
                raise ReadoutError(error.located(readout.source)) from None
            except ValidationError as error:
                raise ReadoutError(f"{readout.source}: {'; '.join(error.messages)}") from None
            LogEntry.objects.log_actions(
                request.user.pk,
                [result.meeting],
                ADDITION if result.created else CHANGE,
                change_message=f"Imported from {readout.source}.",
                single_object=True,
            )
            saved.append(
                (result, reverse("admin:meetings_meeting_change", args=[result.meeting.pk]))
            )
    return saved
