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
line; what the lead says (time, duration, place, participants) is read in `lead.py`.
Parsing touches no database: what depends on editors' lists (meeting types, topics) comes
from the `Vocabulary` passed in.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from meetings.models import describe_duration, numbered_overview
from meetings.topic_detection import detect_topics

from . import limits
from .errors import ReadoutError
from .lead import ParsedParticipant, read_lead_facts
from .vocabulary import Vocabulary


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
# The marker of the main photo’s caption, which is also the title; the exporter writes it.
PHOTO_PREFIX = re.compile(r"^\(Photo\)\s*")
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
    content = _content(lines)
    page_title, meeting_date, at = _read_page_and_date(content)
    at["lead"] = _find_lead_start(lines, content, at["date"])
    headers = [(number, line) for number, line in content if at["date"] < number < at["lead"]]
    title, at["title"], captions, caption_lines = _read_headers(headers, at["date"])
    limits.check_photos(captions, caption_lines)

    paragraphs = _read_lead(lines, at["lead"])
    warnings = []
    rest = [(number, line) for number, line in content if number > paragraphs[-1][1]]
    rest, back_to = _split_off_back_to(rest, warnings)
    items = _read_overview(rest, warnings)
    limits.check_items(items)
    warnings += _back_to_warnings(back_to, page_title, at["relations_page_title"], len(lines))

    lead = "\n\n".join(text for text, _ in paragraphs)
    parsed = ParsedReadout(
        relations_page_title=page_title,
        date=meeting_date,
        title=title,
        photo_captions=captions,
        lead=lead,
        meeting_type_slug=vocabulary.meeting_type_for(title),
        agenda_items=items,
        tags=_tag(items, [title, lead], vocabulary),
        warnings=warnings,
        lines=at,
        caption_lines=caption_lines,
        **read_lead_facts(paragraphs[0][0], line=at["lead"]),
    )
    limits.check_lengths(parsed)
    return parsed


def _content(lines):
    """The numbered lines holding text, stripped; ReadoutError for no text or non-text."""
    content = [(number, line.strip()) for number, line in enumerate(lines, start=1)]
    content = [(number, line) for number, line in content if line]
    if not content:
        raise ReadoutError("the readout is empty", 1)
    # Control characters, and lone surrogates, which no database column takes.
    for number, line in content:
        if any(unicodedata.category(ch) in _NOT_TEXT for ch in line):
            raise ReadoutError("the line holds control characters; is this a text readout?", number)
    return content


def _read_page_and_date(content):
    """The relations page's title and the date, and the lines they are on."""
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
    return page_title, meeting_date, {"relations_page_title": title_line, "date": date_line}


def _split_off_back_to(rest, warnings):
    """The lines before the last “Back to …” line, and (its line, the page it names)."""
    index = next(
        (index for index in range(len(rest) - 1, -1, -1) if _BACK_TO.match(rest[index][1])), None
    )
    if index is None:
        return rest, None
    number, line = rest[index]
    for after, _ in rest[index + 1 :]:
        warnings.append(ReadoutWarning(after, "text after the “Back to …” line is ignored"))
    return rest[:index], (number, _BACK_TO.match(line).group(1).strip())


def _back_to_warnings(back_to, page_title, title_line, last_line):
    if back_to is None:
        return [ReadoutWarning(last_line, "no “Back to …” line at the end")]
    number, named = back_to
    if named == page_title:
        return []
    message = (
        f"“Back to {named}” differs from the title on line {title_line} "
        f"(“{page_title}”); the first line wins"
    )
    return [ReadoutWarning(number, message)]


def _tag(items, meeting_texts, vocabulary):
    """Tag each item with the topics it names; the meeting's tags: its own, then the items'."""
    found = detect_topics(vocabulary, meeting_texts, [[item.text] for item in items])
    for item, topics in zip(items, found.items, strict=True):
        item.tags = topics
    return found.meeting


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


def _read_headers(headers, date_line):
    """The title, its line, the photo captions and their lines, from the lines before the lead."""
    if not headers:
        raise ReadoutError("no title: expected the meeting's title before the lead", date_line + 1)
    photo_lines = [(number, text) for number, text in headers if PHOTO_PREFIX.match(text)]
    if len(photo_lines) > 1:
        raise ReadoutError(
            "more than one “(Photo) ” line: only the main photo gives the title", photo_lines[1][0]
        )
    captions = [PHOTO_PREFIX.sub("", text).strip() for _, text in headers]
    if photo_lines:
        number, text = photo_lines[0]
        title = PHOTO_PREFIX.sub("", text).strip()
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


def _read_lead(lines, first_line):
    """(paragraph, its last line) from the “On …” line up to the overview or “Back to” line."""
    paragraphs = []
    current, current_end = [], first_line
    for number, line in enumerate(lines, start=1):
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
    # The ministry's copy starts its numbering again at 1. after a block of sub-items (the
    # page numbers straight on): each such run is numbered from its first item.
    run_starts_at = 1
    for number, line in lines:
        if match := _ITEM.match(line):
            shown = int(match.group(1))
            top_level_count += 1
            if shown == 1 and sub_count:
                run_starts_at = top_level_count
            sub_count = 0
            if shown != top_level_count - run_starts_at + 1:
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
