"""What of a region and a relations page can be written in Japanese beside English.

django-modeltranslation keeps each language in its own column of the same row (`title_en`,
`title_ja`), so pages read both languages without extra queries; the plain attribute
(`page.title`) gives the language of the request, falling back to English."""

from modeltranslation.translator import TranslationOptions, register

from .models import Region, RelationsPage


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ["name"]
    empty_values = None  # unique: an empty translation is NULL, so many can be empty


@register(RelationsPage)
class RelationsPageTranslation(TranslationOptions):
    fields = ["title", "counterpart", "introduction"]
    empty_values = {"title": None}
