"""Admin pages that edit Japanese text beside the English (django-modeltranslation's columns).

The English field keeps its plain name (`title`) and stays required where it was; its
Japanese twin (`title_ja`) sits beside it, optional: a page shows the English where the
Japanese is empty. The admin is always in English (portal.middleware), so the plain name
always edits the English column.
"""

from django.utils.text import capfirst


def is_japanese(db_field):
    return db_field.name.endswith("_ja") and hasattr(db_field, "translated_field")


class JapaneseBesideEnglish:
    """A ModelAdmin or inline mixin: `…_ja` fields optional, labelled, marked `lang="ja"`."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and is_japanese(db_field):
            field.required = False
            field.label = f"{capfirst(db_field.translated_field.verbose_name)} (Japanese)"
            field.help_text = "Shown on the Japanese page; empty: the English is shown."
            field.widget.attrs["lang"] = "ja"
        return field
