"""Realistic readouts of diplomatic meetings, made up but shaped like the ministry's own.

Standard library only, and no Django: `bench/compare.py` writes the readout files with it
from the Wagtail benchmark's virtualenv. `manage.py generate_archive` writes the same
readouts straight into the database (`writing.py`); `--files DIR` writes them as text files.

Each readout is shaped exactly like meetings/demo/readouts/*.txt:

    Japan-<Counterpart> Relations
    <blank>
    <Month D, YYYY>
    <0–3 photo caption lines; the last is "(Photo) <title>">   (none: the title alone)
    <blank>
    On <Month D>, commencing at <time> for approximately <duration>, <person>, … held … with
    <person>, …[, in <City>]. [The overview of the meeting is as follows.]
    [<blank> a second lead paragraph ending "The overview … is as follows."]
    <blank>
      1. <agenda item>
      • (1) <sub-item>
      …
    <blank>
    Back to Japan-<Counterpart> Relations

A `Readout` also holds what the text says as the importer reads it (type, start time,
duration, place, participants, captions, overview), so the archive can be written without
parsing 50,000 texts; tests check that the parser reads each text the same way. Topics come
from the demo vocabulary (meetings/demo/topics.json): an agenda item is tagged with the
topics its sentence is about, a meeting with one to three of them.
"""

import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path

TOPICS_FILE = Path(__file__).resolve().parent.parent / "demo" / "topics.json"


@dataclass(frozen=True)
class Country:
    name: str
    short: str  # in titles: Japan-<short> Summit Meeting
    head_title: str  # head of state or government
    minister_title: str  # foreign minister
    capital: str
    leaders: tuple
    ministers: tuple
    region: str  # a key of REGIONS

    @property
    def page_title(self):
        return f"Japan-{self.name} Relations"


# slug: name, in the order regions are listed
REGIONS = {
    "asia": "Asia",
    "oceania": "Oceania",
    "north-america": "North America",
    "latin-america": "Latin America and the Caribbean",
    "europe": "Europe",
    "middle-east": "Middle East",
    "africa": "Africa",
}

# name, short form in titles, head of state/government title, foreign minister title,
# capital, leaders, foreign ministers (fictional people)
COUNTRIES = [
    (
        "United States of America",
        "U.S.",
        "President of the United States of America",
        "Secretary of State of the United States of America",
        "Washington, D.C.",
        ["H.E. Mr. Robert Hale", "H.E. Ms. Karen Whitfield"],
        ["the Honorable Daniel Ashford", "the Honorable Susan Crane"],
    ),
    (
        "Republic of Korea",
        "ROK",
        "President of the Republic of Korea",
        "Minister of Foreign Affairs of the Republic of Korea",
        "Seoul",
        ["H.E. Mr. KIM Dae-sung", "H.E. Mr. PARK Jun-ho"],
        ["H.E. Mr. LEE Min-jae", "H.E. Ms. CHOI Hye-jin"],
    ),
    (
        "India",
        "India",
        "Prime Minister of the Republic of India",
        "Minister of External Affairs of the Republic of India",
        "New Delhi",
        ["H.E. Mr. Arvind Mehra"],
        ["Dr. Sanjay Kapoor", "H.E. Mr. Rohan Iyer"],
    ),
    (
        "Australia",
        "Australia",
        "Prime Minister of Australia",
        "Minister for Foreign Affairs of Australia",
        "Canberra",
        ["the Honourable James Whitlam-Hart", "the Honourable Claire Beaumont"],
        ["the Honourable Penny Marsh", "the Honourable Mark Dalton"],
    ),
    (
        "Canada",
        "Canada",
        "Prime Minister of Canada",
        "Minister of Foreign Affairs of Canada",
        "Ottawa",
        ["H.E. Mr. Thomas Lavigne"],
        ["Ms. Élise Marchand", "Mr. Graham Foster"],
    ),
    (
        "United Kingdom",
        "UK",
        "Prime Minister of the United Kingdom",
        "Secretary of State for Foreign, Commonwealth and Development Affairs"
        " of the United Kingdom",
        "London",
        ["the Honourable Oliver Pembroke"],
        ["the Honourable Harriet Vance", "the Honourable Simon Ashby"],
    ),
    (
        "France",
        "France",
        "President of the French Republic",
        "Minister for Europe and Foreign Affairs of the French Republic",
        "Paris",
        ["H.E. Mr. Laurent Dufresne"],
        ["H.E. Ms. Camille Roussel", "H.E. Mr. Antoine Mercier"],
    ),
    (
        "Germany",
        "Germany",
        "Federal Chancellor of the Federal Republic of Germany",
        "Federal Minister for Foreign Affairs of the Federal Republic of Germany",
        "Berlin",
        ["H.E. Mr. Friedrich Albrecht"],
        ["H.E. Ms. Annalena Vogt", "H.E. Mr. Markus Heller"],
    ),
    (
        "Italy",
        "Italy",
        "President of the Council of Ministers of the Italian Republic",
        "Minister of Foreign Affairs and International Cooperation of the Italian Republic",
        "Rome",
        ["H.E. Ms. Giulia Moretti"],
        ["H.E. Mr. Paolo Bianchi"],
    ),
    (
        "Brazil",
        "Brazil",
        "President of the Federative Republic of Brazil",
        "Minister of Foreign Affairs of the Federative Republic of Brazil",
        "Brasília",
        ["H.E. Mr. Carlos Azevedo"],
        ["H.E. Mr. Mauro Vieira Lopes"],
    ),
    (
        "Indonesia",
        "Indonesia",
        "President of the Republic of Indonesia",
        "Minister for Foreign Affairs of the Republic of Indonesia",
        "Jakarta",
        ["H.E. Mr. Budi Santoso"],
        ["H.E. Ms. Retno Wulandari"],
    ),
    (
        "Viet Nam",
        "Viet Nam",
        "Prime Minister of the Socialist Republic of Viet Nam",
        "Minister of Foreign Affairs of the Socialist Republic of Viet Nam",
        "Hanoi",
        ["H.E. Mr. Nguyen Van Thanh"],
        ["H.E. Mr. Bui Quang Son"],
    ),
    (
        "Philippines",
        "Philippines",
        "President of the Republic of the Philippines",
        "Secretary of Foreign Affairs of the Republic of the Philippines",
        "Manila",
        ["H.E. Mr. Ramon Villanueva"],
        ["H.E. Mr. Enrique Manalo Reyes"],
    ),
    (
        "Kenya",
        "Kenya",
        "President of the Republic of Kenya",
        "Cabinet Secretary for Foreign and Diaspora Affairs of the Republic of Kenya",
        "Nairobi",
        ["H.E. Mr. William Otieno"],
        ["Dr. Amina Wanjiru"],
    ),
    (
        "Egypt",
        "Egypt",
        "President of the Arab Republic of Egypt",
        "Minister of Foreign Affairs of the Arab Republic of Egypt",
        "Cairo",
        ["H.E. Mr. Ahmed Fathy"],
        ["H.E. Mr. Sameh Naguib"],
    ),
    (
        "Mexico",
        "Mexico",
        "President of the United Mexican States",
        "Secretary of Foreign Affairs of the United Mexican States",
        "Mexico City",
        ["H.E. Ms. Andrea Morales"],
        ["H.E. Mr. Juan Ramón de la Vega"],
    ),
    (
        "Poland",
        "Poland",
        "Prime Minister of the Republic of Poland",
        "Minister of Foreign Affairs of the Republic of Poland",
        "Warsaw",
        ["H.E. Mr. Tomasz Nowicki"],
        ["H.E. Mr. Radosław Zieliński"],
    ),
    (
        "New Zealand",
        "New Zealand",
        "Prime Minister of New Zealand",
        "Minister of Foreign Affairs of New Zealand",
        "Wellington",
        ["the Honourable Christopher Lane"],
        ["the Honourable Winston Reid"],
    ),
    (
        "Türkiye",
        "Türkiye",
        "President of the Republic of Türkiye",
        "Minister of Foreign Affairs of the Republic of Türkiye",
        "Ankara",
        ["H.E. Mr. Recep Aydın"],
        ["H.E. Mr. Hakan Yıldız"],
    ),
    (
        "Singapore",
        "Singapore",
        "Prime Minister of the Republic of Singapore",
        "Minister for Foreign Affairs of the Republic of Singapore",
        "Singapore",
        ["H.E. Mr. Lawrence Tan"],
        ["Dr. Vivian Rajan"],
    ),
]

KNOWN_REGIONS = {
    "United States of America": "north-america",
    "Republic of Korea": "asia",
    "India": "asia",
    "Australia": "oceania",
    "Canada": "north-america",
    "United Kingdom": "europe",
    "France": "europe",
    "Germany": "europe",
    "Italy": "europe",
    "Brazil": "latin-america",
    "Indonesia": "asia",
    "Viet Nam": "asia",
    "Philippines": "asia",
    "Kenya": "africa",
    "Egypt": "middle-east",
    "Mexico": "latin-america",
    "Poland": "europe",
    "New Zealand": "oceania",
    "Türkiye": "middle-east",
    "Singapore": "asia",
}

# Japan's side by period (fictional), as (first year, prime minister, foreign minister)
JAPAN_SIDE = [
    (1990, "Mr. OKADA Masaru", "Mr. NISHIDA Kenzo"),
    (1994, "Mr. HAGIWARA Ichiro", "Mr. SUGIMOTO Akira"),
    (1998, "Mr. KUBOTA Yasushi", "Ms. ENDO Makiko"),
    (2002, "Mr. MATSUDA Jun", "Mr. FUJII Takeshi"),
    (2006, "Mr. ISOBE Kazuo", "Mr. KATAOKA Hiroshi"),
    (2010, "Mr. NOGUCHI Tetsuya", "Mr. OTSUKA Seiji"),
    (2013, "Mr. KAWAMURA Shinji", "Mr. ISHIDA Fumio"),
    (2018, "Mr. MORIYAMA Hideo", "Mr. KONO Taku"),
    (2021, "Mr. SHIRAKAWA Ryota", "Mr. TANAKA Kenji"),
    (2024, "Mr. SHIRAKAWA Ryota", "Ms. KAMIYA Yoko"),
]
THIRD_VENUES = ["New York", "Jakarta", "Munich", "Geneva", "Vientiane", "Bali"]

# How a sentence names each topic of the vocabulary: its name or one of its synonyms, so
# that the importer's vocabulary finds it too.
TOPIC_PHRASES = {
    "Abductions issue": "the abductions issue",
    "Economic security": "economic security",
    "Free and Open Indo-Pacific": "a free and open Indo-Pacific",
    "Space": "space cooperation",
    "Climate change": "climate change",
    "Security and defence": "security cooperation",
    "Rule of law": "the rule of law",
    "United Nations": "the United Nations",
    "Middle East": "the situation in the Middle East",
}


def load_topics(path=TOPICS_FILE):
    """The vocabulary's topics: [{"name": …, "synonyms": […]}, …]."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


TOPICS = [topic["name"] for topic in load_topics()]


def phrase(topic):
    return TOPIC_PHRASES.get(topic, topic)


SUBJECTS = ["The two leaders", "The two ministers", "The two sides"]
OPENINGS = [
    "At the outset, {them} welcomed the visit and confirmed that {us_and_them} share "
    "fundamental values such as freedom, democracy and human rights.",
    "{subject} reviewed the progress of bilateral relations since their last meeting and "
    "concurred to take the relationship to a new level.",
    "{subject} welcomed the steady development of {adj} relations, including in trade, "
    "investment and people-to-people exchanges.",
]
ITEM_TEMPLATES = [
    "{subject} concurred to strengthen cooperation on {topic}, and to hold working-level "
    "consultations toward concrete outcomes within the year.",
    "{subject} exchanged views on {topic}, and confirmed that they will continue to "
    "coordinate closely.",
    "Regarding {topic}, {subject_lower} shared serious concerns and confirmed close "
    "coordination, including with like-minded countries.",
    "{subject} welcomed the progress on {topic} and concurred to further promote exchanges "
    "between their governments, businesses and citizens.",
    "{subject} confirmed the importance of {topic} for the peace and prosperity of the "
    "region, and concurred to cooperate toward the next summit.",
]
SUB_TEMPLATES = [
    "Regarding {topic}, {subject_lower} concurred to continue close communication.",
    "{subject} confirmed their cooperation on {topic}, including through regular dialogue.",
    "{subject} welcomed recent developments on {topic} and agreed to follow them up.",
]
SECOND_PARAGRAPHS = [
    "Following the meeting, the two sides signed a memorandum of cooperation, and a "
    "working dinner was held.",
    "The two sides also held a joint press conference after the meeting.",
    "Prior to the meeting, a welcome ceremony was held.",
]
CAPTION_EXTRAS = [
    "Welcome ceremony",
    "Photo session before the {title}",
    "Signing ceremony",
    "Joint press conference",
    "Working lunch",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# kind: (meeting type slug, weight)
KINDS = {
    "summit": ("summit-meeting", 3),
    "summit telephone": ("summit-telephone-talk", 2),
    "foreign ministers": ("foreign-ministers-meeting", 4),
    "foreign ministers telephone": ("foreign-ministers-telephone-talk", 3),
    "courtesy call": ("courtesy-call", 1),
    "strategic dialogue": ("strategic-dialogue", 1),
}

# Made-up countries beyond the twenty above, for archives of many relations pages.
SYLLABLES = [
    "al",
    "bar",
    "cor",
    "da",
    "el",
    "fen",
    "gar",
    "hal",
    "is",
    "kor",
    "lan",
    "mir",
    "nor",
    "os",
    "pel",
    "ran",
    "sel",
    "tor",
    "ur",
    "val",
    "ves",
]
ENDINGS = ["ia", "ania", "istan", "ora", "land", "ica", "ovia", "enia"]
FORMS = [
    ("Republic of {name}", "President of the Republic of {name}"),
    ("Kingdom of {name}", "Prime Minister of the Kingdom of {name}"),
    ("{name}", "Prime Minister of {name}"),
    ("Federal Republic of {name}", "President of the Federal Republic of {name}"),
]
GIVEN_NAMES = [
    "Adrian",
    "Beatriz",
    "Cyrus",
    "Dalia",
    "Emil",
    "Farah",
    "Goran",
    "Hana",
    "Ivo",
    "Jana",
    "Karim",
    "Lena",
    "Marek",
]
FAMILY_NAMES = [
    "Alvarez",
    "Brandt",
    "Castell",
    "Dragan",
    "Eriksen",
    "Falk",
    "Havel",
    "Ivanic",
    "Jansen",
    "Kovac",
    "Novak",
]


def countries(count, seed=2024):
    """The first `count` counterparts: the twenty above, then made-up ones."""
    known = [Country(*row, region=KNOWN_REGIONS[row[0]]) for row in COUNTRIES]
    if count <= len(known):
        return known[:count]
    rng = random.Random(f"countries-{seed}")
    names, made = {country.name for country in known}, []
    regions = list(REGIONS)
    while len(known) + len(made) < count:
        stem = "".join(rng.sample(SYLLABLES, rng.choice([1, 2]))).capitalize()
        short = stem + rng.choice(ENDINGS)
        form, head = rng.choice(FORMS)
        name = form.format(name=short)
        if name in names or short in names:
            continue
        names.update((name, short))
        the = "the " if name != short else ""

        def person(prefix):
            return f"{prefix} {rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"

        made.append(
            Country(
                name=name,
                short=short,
                head_title=head.format(name=short),
                minister_title=f"Minister of Foreign Affairs of {the}{name}",
                capital=(
                    "".join(rng.sample(SYLLABLES, 2)).capitalize() + rng.choice(["a", "o", "en"])
                ),
                leaders=(person("H.E. Mr."), person("H.E. Ms.")),
                ministers=(person("H.E. Ms."), person("H.E. Mr.")),
                region=regions[len(made) % len(regions)],
            )
        )
    return known + made


@dataclass
class Item:
    text: str
    is_sub_item: bool
    topics: list = field(default_factory=list)


@dataclass
class Readout:
    """One readout: its text (`text()`), and what the importer reads in it."""

    country: Country
    day: date
    title: str
    meeting_type_slug: str
    start_time: time | None
    duration: timedelta
    place: str
    lead: list  # paragraphs
    participants: list  # (side, name, title): "home" or "counterpart"
    captions: list  # as the importer reads them: the last without its “(Photo)”
    items: list  # Item, sub-items after their item, as the importer reads them
    topics: list  # the meeting's own, by name
    restart_numbering: bool = False

    def text(self):
        page_title = self.country.page_title
        # The last caption, under the photo of the meeting itself, is marked “(Photo)”.
        captions = [*self.captions[:-1], f"(Photo) {self.captions[-1]}"] if self.captions else []
        lines = [page_title, "", date_text(self.day), *(captions or [self.title]), ""]
        for paragraph in self.lead:
            lines += [paragraph, ""]
        number = sub_number = 0
        for item in self.items:
            if item.is_sub_item:
                sub_number += 1
                lines.append(f"  • ({sub_number}) {item.text}")
                continue
            # As copied off the live pages, numbering sometimes restarts after sub-items.
            if sub_number and self.restart_numbering:
                number = 0
            number, sub_number = number + 1, 0
            lines.append(f"  {number}. {item.text}")
        lines += ["", f"Back to {page_title}", ""]
        return "\n".join(lines)


def slugify(text):
    """Like django.utils.text.slugify, enough to keep addresses distinct."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[-\s]+", "-", text).strip("-_")


def day_text(day):
    return f"{MONTHS[day.month - 1]} {day.day}"


def date_text(day):
    return f"{day_text(day)}, {day.year}"


def start_time(rng):
    """(text, time) of when a meeting began."""
    if rng.random() < 0.05:
        return "noon", time(12)
    hour = rng.choice([8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20])
    minute = rng.choice([0, 0, 5, 10, 15, 20, 30, 40, 45, 50])
    shown = hour % 12 or 12
    half = "a.m." if hour < 12 else "p.m."
    text = f"{shown}:{minute:02d} {half}" if minute or rng.random() < 0.7 else f"{shown} {half}"
    return text, time(hour, minute)


def duration(rng, kind):
    """(text, timedelta) of how long a meeting lasted."""
    minutes = rng.choice(
        [20, 25, 30, 35, 40, 45]
        if "telephone" in kind
        else [30, 40, 45, 50, 60, 70, 80, 90, 100, 120]
    )
    hours, rest = divmod(minutes, 60)
    word = rng.choice(["approximately", "approximately", "approximately", "about"])
    if hours and rest:
        text = f"{hours} hour{'s' if hours > 1 else ''} and {rest} minutes"
    elif hours:
        text = f"{hours} hour{'s' if hours > 1 else ''}"
    else:
        text = f"{rest} minutes"
    return f"{word} {text}", timedelta(minutes=minutes)


def japan_side(day):
    side = JAPAN_SIDE[0]
    for entry in JAPAN_SIDE:
        if day.year >= entry[0]:
            side = entry
    return side


def make_readout(rng, country, day, kind):
    _, prime_minister, foreign_minister = japan_side(day)
    name, short = country.name, country.short
    abroad = rng.random() < 0.45
    venue = (
        country.capital if abroad else ("Tokyo" if rng.random() < 0.8 else rng.choice(THIRD_VENUES))
    )
    visiting = f", who is visiting {name}" if abroad and venue == country.capital else ""
    time_text, began = start_time(rng)
    duration_text, lasted = duration(rng, kind)
    when = f"On {day_text(day)}, commencing at {time_text} for {duration_text}"
    leader, minister = rng.choice(country.leaders), rng.choice(country.ministers)
    noun = "talk" if "telephone" in kind else "meeting"
    place = ""
    if kind == "summit":
        title = f"Japan-{short} Summit Meeting"
        first = (
            f"{when}, {prime_minister}, Prime Minister of Japan{visiting}, held a summit "
            f"meeting with {leader}, {country.head_title}, in {venue}."
        )
        home, counterpart, place = (
            (prime_minister, "Prime Minister of Japan"),
            (
                leader,
                country.head_title,
            ),
            venue,
        )
        subject = "The two leaders"
    elif kind == "summit telephone":
        title = f"Japan-{short} Summit Telephone Talk"
        first = (
            f"{when}, {prime_minister}, Prime Minister of Japan, held a telephone talk "
            f"with {leader}, {country.head_title}."
        )
        home, counterpart = (
            (prime_minister, "Prime Minister of Japan"),
            (
                leader,
                country.head_title,
            ),
        )
        subject = "The two leaders"
    elif kind == "foreign ministers":
        title = f"Japan-{short} Foreign Ministers’ Meeting"
        first = (
            f"{when}, {foreign_minister}, Minister for Foreign Affairs of Japan{visiting}, "
            f"held a meeting with {minister}, {country.minister_title}, in {venue}."
        )
        home = (foreign_minister, "Minister for Foreign Affairs of Japan")
        counterpart, place = (minister, country.minister_title), venue
        subject = "The two ministers"
    elif kind == "foreign ministers telephone":
        title = f"Japan-{short} Foreign Ministers’ Telephone Talk"
        first = (
            f"{when}, {foreign_minister}, Minister for Foreign Affairs of Japan, held a "
            f"telephone talk with {minister}, {country.minister_title}."
        )
        home = (foreign_minister, "Minister for Foreign Affairs of Japan")
        counterpart = (minister, country.minister_title)
        subject = "The two ministers"
    elif kind == "courtesy call":
        surname = prime_minister.split()[1]
        visitor = minister.removeprefix("H.E. ")
        title = f"Courtesy Call on Prime Minister {surname} by {visitor[0].upper()}{visitor[1:]}"
        first = (
            f"{when}, {minister[0].upper()}{minister[1:]}, {country.minister_title}, who is "
            f"visiting Japan, paid a courtesy call on {prime_minister}, Prime Minister of Japan."
        )
        home = (prime_minister, "Prime Minister of Japan")
        counterpart = (f"{minister[0].upper()}{minister[1:]}", country.minister_title)
        subject = "The two sides"
    else:  # strategic dialogue
        title = f"Japan-{short} Strategic Dialogue"
        first = (
            f"{when}, Mr. HOSHINO Tatsuya, Vice-Minister for Foreign Affairs of Japan"
            f"{visiting}, held the Japan-{short} Strategic Dialogue with {minister}, "
            f"{country.minister_title}, in {venue}."
        )
        home = ("Mr. HOSHINO Tatsuya", "Vice-Minister for Foreign Affairs of Japan")
        counterpart, place = (minister, country.minister_title), venue
        subject = "The two sides"
    as_follows = f"The overview of the {noun} is as follows."
    lead = [first]
    if rng.random() < 0.3:
        lead.append(f"{rng.choice(SECOND_PARAGRAPHS)} {as_follows}")
    else:
        lead[0] = f"{first} {as_follows}"

    topics = rng.sample(TOPICS, rng.randint(1, 3))
    fill = {
        "subject": subject,
        "subject_lower": subject[0].lower() + subject[1:],
        "them": f"the {name} side",
        "us_and_them": f"Japan and {name}",
        "adj": f"Japan-{short}",
    }
    items = [Item(rng.choice(OPENINGS).format(**fill), False)]
    for _ in range(rng.randint(3, 9) - 1):
        topic = rng.choice(topics + rng.sample(TOPICS, 2))
        text = rng.choice(ITEM_TEMPLATES).format(topic=phrase(topic), **fill)
        items.append(Item(text, False, [topic]))
        if rng.random() < 0.3:
            for sub_topic in rng.sample(TOPICS, rng.randint(2, 3)):
                text = rng.choice(SUB_TEMPLATES).format(topic=phrase(sub_topic), **fill)
                items.append(Item(text, True, [sub_topic]))

    captions = []
    photos = rng.choice([0, 1, 1, 2, 3]) if "telephone" not in kind else 0
    if photos:
        extras = rng.sample(CAPTION_EXTRAS, photos - 1)
        captions = [extra.format(title=title) for extra in extras] + [title]

    return Readout(
        country=country,
        day=day,
        title=title,
        meeting_type_slug=KINDS[kind][0],
        start_time=began,
        duration=lasted,
        place=place,
        lead=lead,
        participants=[("home", *home), ("counterpart", *counterpart)],
        captions=captions,
        items=items,
        topics=sorted(topics),
        restart_numbering=rng.random() < 0.3,
    )


def readouts(count, *, relations=20, seed=2024, years=30, today=None):
    """`count` readouts over `relations` counterparts, dated over the last `years` years up
    to `today`, in no order; the same arguments give the same readouts. A title is unique
    per relations page and date (its address); a few counterparts get far more meetings
    than others, as in a real archive."""
    rng = random.Random(seed)
    today = today or date.today()
    start = date(today.year - years, today.month, 1)
    span = (today - start).days
    pages = countries(relations, seed)
    weights = [max(1, 12 - i // 2) for i in range(len(pages))]
    kinds = list(KINDS)
    kind_weights = [weight for _, weight in KINDS.values()]
    seen = set()
    made = 0
    while made < count:
        country = rng.choices(pages, weights)[0]
        day = start + timedelta(days=rng.randrange(span + 1))
        readout = make_readout(rng, country, day, rng.choices(kinds, kind_weights)[0])
        key = (country.name, day, slugify(readout.title))
        if key in seen:
            continue
        seen.add(key)
        made += 1
        yield readout


def write_files(out_dir, meetings=500, *, relations=20, seed=2024, years=30, today=None):
    """Write the readouts as text files named NNNN-<date>-<slug>.txt in date order (oldest
    first, so importing them in name order publishes the newest meeting last), with their
    meetings' topics beside them in topics.json ({file name: [topic, …]}): the text shape
    has no place for them. Returns the files' paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    made = readouts(meetings, relations=relations, seed=seed, years=years, today=today)
    ordered = sorted(made, key=lambda r: (r.day, r.country.page_title, r.title))
    topics_by_file = {}
    for number, readout in enumerate(ordered, start=1):
        name = f"{number:05d}-{readout.day:%Y%m%d}-{slugify(readout.title)[:60]}.txt"
        (out_dir / name).write_text(readout.text(), encoding="utf-8")
        topics_by_file[name] = readout.topics
    (out_dir / "topics.json").write_text(
        json.dumps(topics_by_file, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return sorted(out_dir.glob("*.txt"))
