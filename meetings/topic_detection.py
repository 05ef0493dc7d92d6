"""Which topics of the vocabulary a meeting names: one rule for imported readouts and for
meetings written in the admin.

An agenda item names the topics its text names, in English or in Japanese; the meeting
names those of its title and lead, then those of its items. The importer tags a readout
with what `detect_topics` finds; the admin only suggests what `suggest_topics` finds, the
topics detected minus those already tagged, and the editor accepts or leaves each.
"""

from dataclasses import dataclass, field


@dataclass
class MeetingTopics:
    """Topic names for the meeting, and for each of its agenda items in order."""

    meeting: list[str] = field(default_factory=list)
    items: list[list[str]] = field(default_factory=list)

    def __bool__(self):
        return bool(self.meeting) or any(self.items)


def detect_topics(vocabulary, meeting_texts, item_texts):
    """The topics the meeting's texts (title, lead…) and each item's texts name."""
    items = [_named_in(vocabulary, texts) for texts in item_texts]
    meeting = _named_in(vocabulary, meeting_texts)
    for topics in items:
        meeting += [topic for topic in topics if topic not in meeting]
    return MeetingTopics(meeting=meeting, items=items)


def suggest_topics(vocabulary, meeting, items):
    """The detected topics the meeting and each item are not tagged with yet.

    `meeting` and each of `items` are (texts, tag names); a tag counts for its topic by any
    of the topic's names (“DPRK” tags North Korea)."""
    meeting_texts, meeting_tags = meeting
    detected = detect_topics(vocabulary, meeting_texts, [texts for texts, _ in items])
    return MeetingTopics(
        meeting=_untagged(vocabulary, detected.meeting, meeting_tags),
        items=[
            _untagged(vocabulary, topics, tags)
            for topics, (_, tags) in zip(detected.items, items, strict=True)
        ],
    )


def _named_in(vocabulary, texts):
    # One text a line: a phrase is never found across two fields.
    return vocabulary.topics_in("\n".join(text for text in texts if text))


def _untagged(vocabulary, topics, tags):
    tagged = {vocabulary.canonical(tag).casefold() for tag in tags}
    return [topic for topic in topics if topic.casefold() not in tagged]
