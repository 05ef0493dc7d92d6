"""Tagging meetings and their agenda items with topics found in their text."""

import re

from .caching import content_changed


def topics_in(text, topics):
    """Names of the topics whose name or one of whose keywords appears in the text."""
    found = []
    for topic in topics:
        for phrase in [topic["name"], *topic.get("keywords", [])]:
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE):
                found.append(topic["name"])
                break
    return found


def tag_meeting(meeting, topics):
    """Tag each agenda item with its topics, and the meeting with all of them."""
    meeting_topics = set(topics_in(f"{meeting.title}\n{meeting.lead}", topics))
    for item in meeting.agenda_items.all():
        item_topics = topics_in(item.text, topics)
        if item_topics:
            item.tags.add(*item_topics)
            meeting_topics.update(item_topics)
    if meeting_topics:
        meeting.tags.add(*sorted(meeting_topics))
    content_changed()
