"""What of a readout can be written in Japanese beside English (see relations/translation.py).

A Japanese page shows the Japanese text where an editor wrote it and the English otherwise."""

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Meeting, MeetingType, Participant, PhotoSession, Topic


@register(MeetingType)
class MeetingTypeTranslation(TranslationOptions):
    fields = ["name"]


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ["title", "place", "lead"]


@register(Participant)
class ParticipantTranslation(TranslationOptions):
    fields = ["name", "title"]


@register(PhotoSession)
class PhotoSessionTranslation(TranslationOptions):
    fields = ["caption", "alt_text", "credit"]


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ["text"]


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ["label"]
