"""Turning readouts in the ministry's text shape into meetings.

The shape (see README, "Readout text shape"):

    <relations page title>
    <Month D, YYYY>
    <photo caption lines; "(Photo) <title>" marks the main photo and gives the title>
    On <date>, commencing at …                      ← the lead, up to the overview
      1. <agenda item>
      • (1) <sub-item of the item above>
    Back to <relations page title>

`parse_readout()` reads text into a `ParsedReadout` or raises `ReadoutError` naming the
line. Parsing touches no database: what depends on editors' lists (meeting types, topics)
comes from the `Vocabulary` passed in.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from meetings.models import Participant, describe_duration, numbered_overview

from . import limits
from .errors import ReadoutError
from .vocabulary import Vocabulary


@dataclass
class ParsedParticipant:
    side: str
    name: str
    title: str


@dataclass
class ParsedItem:
    text: str
    is_sub_item: bool
    line: int
    tags: list[str] = field(default_factory=list)


@dataclass
class ReadoutWarning:
    line: int
    message: str


@dataclass
class ParsedReadout:
    relations_page_title: str
    date: date
    title: str
    photo_captions: list[str]
    lead: str
    start_time: time | None = None
    duration: timedelta | None = None
    place: str = ""
    meeting_type_slug: str = "other"
    participants: list[ParsedParticipant] = field(default_factory=list)
    agenda_items: list[ParsedItem] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    warnings: list[ReadoutWarning] = field(default_factory=list)
    # Where things were read, for errors found later: "relations_page_title", "date",
    # "title", "lead" → line. Not compared: the same readout may be laid out differently.
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    caption_lines: list[int] = field(default_factory=list, compare=False, repr=False)

    @property
    def duration_text(self):
        return describe_duration(self.duration)

    def overview(self):
        """[(item, [sub-item, …]), …] as the page numbers them."""
        return numbered_overview(self.agenda_items)


# Reading text


# Unicode spaces that pasting brings in; they are read as plain spaces.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]")
_ITEM = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_SUB_ITEM = re.compile(r"^(?:[•·‧∙◦▪▫●○■□・\-–*]\s*)?\((\d{1,3})\)\s*(\S.*)$")
_BACK_TO = re.compile(r"^Back to\s+(\S.*)$")
_PHOTO = re.compile(r"^\(Photo\)\s*")
_NOT_TEXT = {"Cc", "Cs"}


def decode(data):
    """Bytes of a readout file → text, or ReadoutError for what is not UTF-8 text."""
    limits.check_size(len(data))
    if b"\x00" in data:
        raise ReadoutError("this is a binary file, not a text readout", 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadoutError(
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read)", line
        ) from None
    return text


def _clean_lines(text):
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for raw in text.split("\n"):
        line = _ODD_SPACES.sub(" ", raw)
        line = "".join(ch for ch in line if unicodedata.category(ch) != "Cf" or ch == "\u200d")
        lines.append(line.rstrip())
    return lines


def parse_readout(text, vocabulary=None):
    """Read one readout; raise ReadoutError with the line of the first thing wrong.

    The vocabulary recognises the meeting's type and tags the items and the meeting with
    the topics named in them; without one, the built-in types and no topics."""
    vocabulary = vocabulary or Vocabulary.builtin()
    lines = _clean_lines(text)
    numbered = [(number, line) for number, line in enumerate(lines, start=1)]
    content = [(number, line.strip()) for number, line in numbered if line.strip()]
    if not content:
        raise ReadoutError("the readout is empty", 1)
    # Control characters, and lone surrogates, which no database column takes.
    if any(unicodedata.category(ch) in _NOT_TEXT for _, line in content for ch in line):
        bad_line = next(
            n for n, line in content if any(unicodedata.category(c) in _NOT_TEXT for c in line)
        )
        raise ReadoutError("the line holds control characters; is this a text readout?", bad_line)

    title_line, page_title = content[0]
    if _parse_date(page_title) is not None:
        raise ReadoutError(
            "the first line should be the relations page's title, but it is a date", title_line
        )
    if len(content) < 2:
        raise ReadoutError("no date: expected “Month D, YYYY” after the title", title_line)
    date_line, date_text = content[1]
    meeting_date = _parse_date(date_text)
    if meeting_date is None:
        raise ReadoutError(
            f"expected the meeting's date as “Month D, YYYY”, found “{date_text}”", date_line
        )
    if meeting_date is False:
        raise ReadoutError(f"“{date_text}” is not a real date", date_line)
    limits.check_date(meeting_date, date_text, date_line)

    warnings = []
    lead_start = _find_lead_start(lines, content, date_line)
    headers = [(number, line) for number, line in content if date_line < number < lead_start]
    if not headers:
        raise ReadoutError("no title: expected the meeting's title before the lead", date_line + 1)
    title, meeting_title_line, captions, caption_lines = _read_headers(headers)
    limits.check_photos(captions, caption_lines)

    lead_paragraphs = _read_lead(numbered, lead_start)
    lead_end = lead_paragraphs[-1][1]
    lead = "\n\n".join(text for text, _ in lead_paragraphs)

    rest = [(number, line) for number, line in content if number > lead_end]
    back_to = None
    back_to_index = next(
        (index for index in range(len(rest) - 1, -1, -1) if _BACK_TO.match(rest[index][1])), None
    )
    if back_to_index is not None:
        number, line = rest[back_to_index]
        back_to = (number, _BACK_TO.match(line).group(1).strip())
        for number, _ in rest[back_to_index + 1 :]:
            warnings.append(ReadoutWarning(number, "text after the “Back to …” line is ignored"))
        rest = rest[:back_to_index]
    items = _read_overview(rest, warnings)
    limits.check_items(items)

    if back_to is None:
        warnings.append(ReadoutWarning(len(lines), "no “Back to …” line at the end"))
    elif back_to[1] != page_title:
        warnings.append(
            ReadoutWarning(
                back_to[0],
                f"“Back to {back_to[1]}” differs from the title on line {title_line} "
                f"(“{page_title}”); the first line wins",
            )
        )

    for item in items:
        item.tags = vocabulary.topics_in(item.text)
    meeting_tags = vocabulary.topics_in(f"{title}\n{lead}")
    for item in items:
        meeting_tags += [tag for tag in item.tags if tag not in meeting_tags]

    first_paragraph = lead_paragraphs[0][0] if lead_paragraphs else ""
    parsed = ParsedReadout(
        relations_page_title=page_title,
        date=meeting_date,
        title=title,
        photo_captions=captions,
        lead=lead,
        start_time=read_start_time(first_paragraph),
        duration=read_duration(first_paragraph, line=lead_start),
        place=read_place(first_paragraph),
        meeting_type_slug=vocabulary.meeting_type_for(title),
        participants=read_participants(first_paragraph),
        agenda_items=items,
        tags=meeting_tags,
        warnings=warnings,
        lines={
            "relations_page_title": title_line,
            "date": date_line,
            "title": meeting_title_line,
            "lead": lead_start,
        },
        caption_lines=caption_lines,
    )
    limits.check_lengths(parsed)
    return parsed


def _find_lead_start(lines, content, date_line):
    """The line the lead starts on: the first paragraph after the date that starts “On ”.

    A header line may itself start with “On ”; a paragraph follows a blank line, so such a
    line is preferred, and any “On ” line will do when a copy has lost its blank lines.
    """
    starts = [number for number, line in content if number > date_line and line.startswith("On ")]
    if not starts:
        raise ReadoutError(
            "no lead: expected a paragraph starting “On ” after the title", date_line
        )
    after_blank = [number for number in starts if not lines[number - 2].strip()]
    return (after_blank or starts)[0]


def _parse_date(text):
    """A date; None when the text is not shaped like one; False when it is, but impossible."""
    match = re.fullmatch(
        r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
        r"([A-Z][a-z]{2,8})\.? (\d{1,2}),\s*(\d{4})",
        text,
    )
    if not match:
        return None
    month_name, day, year = match.groups()
    for fmt in ("%B", "%b"):
        try:
            month = datetime.strptime(month_name, fmt).month
            break
        except ValueError:
            continue
    else:
        return None
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return False


def _read_headers(headers):
    photo_lines = [(number, text) for number, text in headers if _PHOTO.match(text)]
    if len(photo_lines) > 1:
        raise ReadoutError(
            "more than one “(Photo) ” line: only the main photo gives the title", photo_lines[1][0]
        )
    captions = [_PHOTO.sub("", text).strip() for _, text in headers]
    if photo_lines:
        number, text = photo_lines[0]
        title = _PHOTO.sub("", text).strip()
        if not title:
            raise ReadoutError("the “(Photo) ” line has no caption to use as the title", number)
        return title, number, captions, [number for number, _ in headers]
    if len(headers) > 1:
        raise ReadoutError(
            "several header lines but none starts “(Photo) ”: which one is the title?",
            headers[1][0],
        )
    number, title = headers[0]
    return title, number, [], []


def _read_lead(numbered, first_line):
    """Paragraphs from the “On …” line up to the first overview or “Back to” line."""
    paragraphs = []
    current, current_end = [], first_line
    for number, line in numbered:
        if number < first_line:
            continue
        stripped = line.strip()
        if _ITEM.match(stripped) or _SUB_ITEM.match(stripped) or _BACK_TO.match(stripped):
            break
        if not stripped:
            if current:
                paragraphs.append((" ".join(current), current_end))
                current = []
            continue
        current.append(stripped)
        current_end = number
    if current:
        paragraphs.append((" ".join(current), current_end))
    return paragraphs


def _read_overview(lines, warnings):
    items = []
    top_level_count = 0
    sub_count = 0
    for number, line in lines:
        if match := _ITEM.match(line):
            shown = int(match.group(1))
            top_level_count += 1
            sub_count = 0
            if shown != top_level_count:
                warnings.append(
                    ReadoutWarning(
                        number,
                        f"item numbered {shown}. is item {top_level_count} of the overview; "
                        f"numbered {top_level_count}. as the page numbers it",
                    )
                )
            items.append(ParsedItem(match.group(2).strip(), False, number))
        elif match := _SUB_ITEM.match(line):
            if not top_level_count:
                raise ReadoutError(
                    f"sub-item ({match.group(1)}) comes before any numbered item", number
                )
            sub_count += 1
            shown = int(match.group(1))
            if shown != sub_count:
                warnings.append(
                    ReadoutWarning(number, f"sub-item ({shown}) renumbered ({sub_count})")
                )
            items.append(ParsedItem(match.group(2).strip(), True, number))
        elif items:
            items[-1].text = f"{items[-1].text} {line}"
            warnings.append(ReadoutWarning(number, "line joined to the agenda item above it"))
        else:
            raise ReadoutError(f"unrecognised line after the lead: “{line[:60]}”", number)
    return items


# Reading the lead

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
