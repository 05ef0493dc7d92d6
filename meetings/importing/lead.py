"""Reading what a readout's lead says: when the meeting began, how long it lasted, where it
was held and who met.

    On May 19, commencing at 5:45 p.m. for approximately 45 minutes, Mr. …, Minister for
    Foreign Affairs of Japan, held a meeting with …, in Canberra.

Each reader takes the lead's first paragraph and gives what it found, or nothing (None,
"", []): a lead the ministry words differently leaves the field for editors to fill in.
"""

import math
import re
from dataclasses import dataclass
from datetime import time, timedelta

from meetings.models import Participant

from . import limits


@dataclass
class ParsedParticipant:
    side: str
    name: str
    title: str


def read_lead_facts(paragraph, line=None):
    """The start time, duration, place and participants the paragraph gives, as fields."""
    return {
        "start_time": read_start_time(paragraph),
        "duration": read_duration(paragraph, line=line),
        "place": read_place(paragraph),
        "participants": read_participants(paragraph),
    }


_TIME = re.compile(
    r"\b(?:commencing|starting|beginning|from)\s+(?:at\s+)?"
    r"(?:(?P<noon>noon)|(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>[ap])\.?\s*m\b\.?)",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"\bfor\s+(?:approximately|about|around|some|roughly|over|nearly|almost)?\s*"
    r"(?:(?P<hours>\d+|an|one|two|three)\s+hours?)?(?:\s*(?:and\s+)?)?"
    r"(?:(?P<minutes>\d+)\s+minutes?)?",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"an": 1, "one": 1, "two": 2, "three": 3}


def read_start_time(text):
    match = _TIME.search(text)
    if not match:
        return None
    if match.group("noon"):
        return time(12, 0)
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    if not (1 <= hour <= 12 and minute < 60):
        return None
    afternoon = match.group("half").lower() == "p"
    return time(hour % 12 + (12 if afternoon else 0), minute)


def read_duration(text, line=None):
    """The length the lead gives, or None; ReadoutError (at `line`) past 24 hours."""
    for match in _DURATION.finditer(text):
        hours, minutes = match.group("hours"), match.group("minutes")
        if not hours and not minutes:
            continue
        total = 60 * _count(hours) + _count(minutes)
        if total:
            limits.check_duration_minutes(total, match.group(0).strip(), line)
            return timedelta(minutes=total)
    return None


def _count(text):
    """Hours or minutes as written, in digits or a word; 0 when absent."""
    if not text:
        return 0
    if text.lower() in _WORD_NUMBERS:
        return _WORD_NUMBERS[text.lower()]
    digits = text.lstrip("0")
    # More digits than any meeting's length has; int() refuses thousands of them anyway.
    return int(digits or 0) if len(digits) < 10 else math.inf


_HONORIFIC = (
    r"(?:Mr\.?|Ms\.?|Mrs\.?|Miss|Dr\.?|Prof\.|H\.E\.|[Tt]he (?:Right |Rt\.? )?Honou?rable|"
    r"[Tt]he Rt\.? Hon\.?|Rt\.? Hon\.?|His Excellency|Her Excellency|His Majesty|Her Majesty|"
    r"His Royal Highness|Her Royal Highness|Sir|Dame|Lord|Lady)"
)
_PERSON = re.compile(
    rf"(?<!\w)(?P<name>{_HONORIFIC}\s+[^,]+?),\s+"
    r"(?P<title>.+?)(?=,\s+(?:who|and|in|on|at)\b|\.\s|\.$|$)"
)
_MEETS = re.compile(
    r",?\s+(?:(?:held|had|conducted)\s+(?:a|an|the)\s+.*?\bwith"
    r"|paid\s+(?:a|an)\s+.*?\bcall\s+on"
    r"|received\s+(?:a|an)\s+.*?\bfrom)\s+"
)
_PLACE_WORD = r"[A-Z][\w’'-]*"
_PLACE_PARTICLE = r"(?:de|da|do|dos|das|del|la|le|of|am|an|upon|van|von)[ -]"
_PLACE = re.compile(
    rf",\s+in\s+(?P<place>{_PLACE_WORD}(?:[ -](?:{_PLACE_PARTICLE})*{_PLACE_WORD})*"
    r"(?:, D\.C\.)?)(?=[,.\s]|$)"
)


def read_participants(text):
    split = _MEETS.search(text)
    if not split:
        return []
    # “X held a meeting with Y”: X is our side. “X paid a courtesy call on Y”: X is the visitor.
    visitor_first = split.group(0).lstrip(" ,").startswith("paid")
    subject_side, object_side = Participant.Side.HOME, Participant.Side.COUNTERPART
    if visitor_first:
        subject_side, object_side = object_side, subject_side
    participants = []
    for side, part, pick in (
        (subject_side, text[: split.start()], -1),
        (object_side, text[split.end() :], 0),
    ):
        people = list(_PERSON.finditer(part))
        if people:
            person = people[pick]
            participants.append(
                ParsedParticipant(side, person.group("name").strip(), person.group("title").strip())
            )
    participants.sort(key=lambda participant: participant.side != Participant.Side.HOME)
    return participants


def read_place(text):
    match = _PLACE.search(text)
    return match.group("place") if match else ""
