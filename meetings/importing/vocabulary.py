"""What the importer reads with the editors' own lists: meeting types and topics.

A meeting type is recognised in a title by its title phrases (“summit + telephone”: every
phrase of a rule must appear); a topic in any text by its name or one of its synonyms.
Matching ignores case and the difference between straight and typographic apostrophes.

When a title meets the rules of several types, the rule joining the most phrases wins
(“summit + telephone” over “trilateral”); between equally long rules, the type of higher
precedence (`MeetingType.precedence`, lower number first) wins, so that “Foreign Ministers'
Strategic Dialogue” is a strategic dialogue, not a foreign ministers' meeting.
"""

import functools
import re
from dataclasses import dataclass, field

from meetings.models import MeetingType, Topic
from meetings.search.text import has_cjk

# The default types' rules in their order of precedence, as the migrations give them (0004,
# 0017); parsing without a database uses them.
BUILTIN_TYPE_RULES = {
    "summit-telephone-talk": "summit + telephone\nleaders + telephone\nprime minister + telephone",
    "foreign-ministers-telephone-talk": "foreign minister + telephone",
    "courtesy-call": "courtesy call",
    "strategic-dialogue": "strategic dialogue",
    "working-lunch-or-dinner": "working lunch\nworking dinner\nworking breakfast",
    "trilateral-meeting": "trilateral",
    "summit-meeting": "summit\nleaders’ meeting",
    "foreign-ministers-meeting": "foreign minister",
}


def _fold(text):
    return text.casefold().replace("'", "’").replace("`", "’")


def parse_rules(text):
    """“summit + telephone\\nleaders + telephone” → [("summit", "telephone"), …]."""
    rules = []
    for line in text.splitlines():
        phrases = tuple(_fold(p.strip()) for p in line.split("+") if p.strip())
        if phrases:
            rules.append(phrases)
    return rules


@dataclass
class Vocabulary:
    # (type slug, [rule, …]) in order of precedence: of equally long rules, the first wins.
    type_rules: list = field(default_factory=list)
    # (canonical topic name, [phrase, …]).
    topics: list = field(default_factory=list)

    @classmethod
    def builtin(cls):
        return cls(type_rules=[(slug, parse_rules(r)) for slug, r in BUILTIN_TYPE_RULES.items()])

    @classmethod
    def from_database(cls):
        return cls(
            type_rules=[
                (meeting_type.slug, parse_rules(meeting_type.title_phrases))
                for meeting_type in MeetingType.objects.by_precedence()
            ],
            topics=_topics_in_database(),
        )

    @classmethod
    def topics_from_database(cls):
        """The topics alone, in one query: what detecting topics needs."""
        return cls(topics=_topics_in_database())

    def meeting_type_for(self, title):
        """The slug of the type with the most specific rule the title meets: the rule of most
        phrases, and of those the first in order of precedence; “other” if none."""
        folded = _fold(title)
        best, best_length = "other", 0
        for slug, rules in self.type_rules:
            for rule in rules:
                if len(rule) > best_length and all(phrase in folded for phrase in rule):
                    best, best_length = slug, len(rule)
        return best

    def topics_in(self, text):
        """Canonical names of the topics named in the text, in the order of the vocabulary."""
        folded = _fold(text)
        return [name for name, names in self._topic_matchers if names(folded)]

    @functools.cached_property
    def _topic_matchers(self):
        # Built once per vocabulary: an import asks it about every text of every readout.
        return [(name, _matcher(phrases)) for name, phrases in self.topics]

    def canonical(self, name):
        """The topic a tag name means (“dprk” → “North Korea”), or the name as given."""
        folded = _fold(name.strip())
        for topic, phrases in self.topics:
            if any(_fold(phrase) == folded for phrase in phrases):
                return topic
        return name.strip()


def _topics_in_database():
    return [(topic.name, topic.phrases()) for topic in Topic.objects.select_related("tag")]


def _matcher(phrases):
    """Whether a folded text names any of the phrases: Japanese, written without spaces,
    anywhere in a sentence (北朝鮮 in 北朝鮮の核・ミサイル問題); other phrases as whole words."""
    folded = [_fold(phrase) for phrase in phrases]
    japanese = [phrase for phrase in folded if has_cjk(phrase)]
    words = [re.escape(phrase) for phrase in folded if not has_cjk(phrase)]
    whole_words = re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)") if words else None

    def names(folded_text):
        if whole_words is not None and whole_words.search(folded_text):
            return True
        return any(phrase in folded_text for phrase in japanese)

    return names
