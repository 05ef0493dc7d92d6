#!/usr/bin/env python3
"""Write a deterministic archive of readouts in the ministry's text shape.

    python bench/generate_archive.py OUT_DIR [--meetings 500] [--seed 2024]

Each readout is one UTF-8 file, shaped exactly like meetings/demo/readouts/*.txt:

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

Files are named NNNN-<slug>.txt in date order (oldest first), so importing them in name
order publishes the newest meeting last. The text shape has no place for topics, so the
topics (tags) of each meeting are written beside the readouts in topics.json
({file name: [topic, …]}); both sites' loaders apply them to the meeting.

Standard library only: it runs under any Python 3.11+.
"""

import argparse
import json
import random
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

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
        ["Senator the Honourable Penny Marsh", "the Honourable Mark Dalton"],
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

# Japan's side by period (fictional), as (first year, prime minister, foreign minister)
JAPAN_SIDE = [
    (2015, "Mr. KAWAMURA Shinji", "Mr. ISHIDA Fumio"),
    (2018, "Mr. MORIYAMA Hideo", "Mr. KONO Taku"),
    (2021, "Mr. SHIRAKAWA Ryota", "Mr. TANAKA Kenji"),
    (2024, "Mr. SHIRAKAWA Ryota", "Ms. KAMIYA Yoko"),
]
THIRD_VENUES = ["New York", "Jakarta", "Munich", "Geneva", "Vientiane", "Bali"]

TOPICS = [
    "North Korea",
    "Abductions issue",
    "China",
    "Russia’s aggression against Ukraine",
    "G7",
    "G20",
    "Economic security",
    "IPEF",
    "Free and open Indo-Pacific",
    "Climate change",
    "United Nations Security Council reform",
    "Middle East",
    "Quad",
    "CPTPP",
    "Nuclear disarmament",
    "People-to-people exchanges",
]

SUBJECTS = ["The two leaders", "The two ministers", "The two sides"]
OPENINGS = [
    "At the outset, {them} welcomed the visit and confirmed that {us_and_them} share "
    "fundamental values such as freedom, democracy, human rights and the rule of law.",
    "{subject} reviewed the progress of bilateral relations since their last meeting and "
    "concurred to take the relationship to a new level.",
    "{subject} welcomed the steady development of {adj} relations, including in trade, "
    "investment and people-to-people exchanges.",
]
ITEM_TEMPLATES = [
    "{subject} concurred to strengthen cooperation on {topic}, and to hold working-level "
    "consultations toward concrete outcomes within the year.",
    "{subject} exchanged views on {topic}, and confirmed that they will continue to "
    "coordinate closely, including at the United Nations.",
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


def slugify(text):
    """Like django.utils.text.slugify, enough to keep addresses distinct."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[-\s]+", "-", text).strip("-_")


def day_text(day):
    return f"{MONTHS[day.month - 1]} {day.day}"


def date_text(day):
    return f"{day_text(day)}, {day.year}"


def time_text(rng):
    if rng.random() < 0.05:
        return "noon"
    hour = rng.choice([8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20])
    minute = rng.choice([0, 0, 5, 10, 15, 20, 30, 40, 45, 50])
    shown = hour % 12 or 12
    half = "a.m." if hour < 12 else "p.m."
    return f"{shown}:{minute:02d} {half}" if minute or rng.random() < 0.7 else f"{shown} {half}"


def duration_text(rng, kind):
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
    return f"{word} {text}"


def japan_side(day):
    side = JAPAN_SIDE[0]
    for entry in JAPAN_SIDE:
        if day.year >= entry[0]:
            side = entry
    return side


def make_readout(rng, country, day, kind):
    name, short, head_title, fm_title, capital, leaders, ministers = country
    _, prime_minister, foreign_minister = japan_side(day)
    page_title = f"Japan-{name} Relations"
    abroad = rng.random() < 0.45
    venue = capital if abroad else ("Tokyo" if rng.random() < 0.8 else rng.choice(THIRD_VENUES))
    visiting = f", who is visiting {name}" if abroad and venue == capital else ""
    when = f"On {day_text(day)}, commencing at {time_text(rng)} for {duration_text(rng, kind)}"
    leader, minister = rng.choice(leaders), rng.choice(ministers)
    noun = "talk" if "telephone" in kind else "meeting"
    if kind == "summit":
        title = f"Japan-{short} Summit Meeting"
        first = (
            f"{when}, {prime_minister}, Prime Minister of Japan{visiting}, held a summit "
            f"meeting with {leader}, {head_title}, in {venue}."
        )
        subject = "The two leaders"
    elif kind == "summit telephone":
        title = f"Japan-{short} Summit Telephone Talk"
        first = (
            f"{when}, {prime_minister}, Prime Minister of Japan, held a telephone talk "
            f"with {leader}, {head_title}."
        )
        subject = "The two leaders"
    elif kind == "foreign ministers":
        title = f"Japan-{short} Foreign Ministers’ Meeting"
        first = (
            f"{when}, {foreign_minister}, Minister for Foreign Affairs of Japan{visiting}, "
            f"held a meeting with {minister}, {fm_title}, in {venue}."
        )
        subject = "The two ministers"
    elif kind == "foreign ministers telephone":
        title = f"Japan-{short} Foreign Ministers’ Telephone Talk"
        first = (
            f"{when}, {foreign_minister}, Minister for Foreign Affairs of Japan, held a "
            f"telephone talk with {minister}, {fm_title}."
        )
        subject = "The two ministers"
    elif kind == "courtesy call":
        surname = prime_minister.split()[1]
        visitor = minister.removeprefix("H.E. ")
        title = f"Courtesy Call on Prime Minister {surname} by {visitor[0].upper()}{visitor[1:]}"
        first = (
            f"{when}, {minister[0].upper()}{minister[1:]}, {fm_title}, who is visiting "
            f"Japan, paid a courtesy call on {prime_minister}, Prime Minister of Japan."
        )
        subject = "The two sides"
    else:  # strategic dialogue
        title = f"Japan-{short} Strategic Dialogue"
        first = (
            f"{when}, Mr. HOSHINO Tatsuya, Vice-Minister for Foreign Affairs of Japan"
            f"{visiting}, held the Japan-{short} Strategic Dialogue with {minister}, "
            f"{fm_title}, in {venue}."
        )
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
    items = [(rng.choice(OPENINGS).format(**fill), [])]
    for _ in range(rng.randint(3, 9) - 1):
        topic = rng.choice(topics + rng.sample(TOPICS, 2))
        text = rng.choice(ITEM_TEMPLATES).format(topic=topic, **fill)
        subs = []
        if rng.random() < 0.3:
            for sub_topic in rng.sample(TOPICS, rng.randint(2, 3)):
                subs.append(rng.choice(SUB_TEMPLATES).format(topic=sub_topic, **fill))
        items.append((text, subs))

    captions = []
    photos = rng.choice([0, 1, 1, 2, 3]) if "telephone" not in kind else 0
    if photos:
        extras = rng.sample(CAPTION_EXTRAS, photos - 1)
        captions = [extra.format(title=title) for extra in extras] + [f"(Photo) {title}"]

    # As copied off the live pages, numbering sometimes restarts at "1." after sub-items.
    restart_numbering = rng.random() < 0.3
    lines = [page_title, "", date_text(day), *(captions or [title]), ""]
    for paragraph in lead:
        lines += [paragraph, ""]
    number = 0
    for text, subs in items:
        number += 1
        lines.append(f"  {number}. {text}")
        for index, sub in enumerate(subs, start=1):
            lines.append(f"  • ({index}) {sub}")
        if subs and restart_numbering:
            number = 0
    lines += ["", f"Back to {page_title}", ""]
    return page_title, title, "\n".join(lines), sorted(topics)


KINDS = [
    ("summit", 3),
    ("summit telephone", 2),
    ("foreign ministers", 4),
    ("foreign ministers telephone", 3),
    ("courtesy call", 1),
    ("strategic dialogue", 1),
]


def generate(out_dir, meetings=500, seed=2024):
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start, end = date(2015, 1, 1), date(2025, 12, 31)
    span = (end - start).days
    # A few countries get far more meetings than others, as in a real archive.
    weights = [max(1, 12 - i // 2) for i in range(len(COUNTRIES))]
    kinds, kind_weights = zip(*KINDS, strict=True)
    seen, readouts = set(), []
    while len(readouts) < meetings:
        country = rng.choices(COUNTRIES, weights)[0]
        day = start + timedelta(days=rng.randrange(span + 1))
        kind = rng.choices(kinds, kind_weights)[0]
        page_title, title, text, topics = make_readout(rng, country, day, kind)
        key = (page_title, day, slugify(title))
        if key in seen:  # a title is unique per (relations page, date)
            continue
        seen.add(key)
        readouts.append((day, page_title, title, text, topics))
    readouts.sort(key=lambda r: (r[0], r[1], r[2]))
    topics_by_file = {}
    for number, (day, _page, title, text, topics) in enumerate(readouts, start=1):
        name = f"{number:04d}-{day:%Y%m%d}-{slugify(title)[:60]}.txt"
        (out_dir / name).write_text(text, encoding="utf-8")
        topics_by_file[name] = topics
    (out_dir / "topics.json").write_text(
        json.dumps(topics_by_file, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return sorted(out_dir.glob("*.txt"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    files = generate(args.out_dir, args.meetings, args.seed)
    print(f"{len(files)} readouts written to {args.out_dir}")


if __name__ == "__main__":
    main()
