#!/usr/bin/env python3
"""How fast search answers over a large archive: p50 and p95 per query, page and all.

    DATABASE_URL=postgres://…/throwaway .venv/bin/python bench/search.py [--meetings 50000]
    .venv/bin/python bench/search.py --meetings 5000          # SQLite, a file in /tmp

Builds an archive of N meetings in the database DATABASE_URL names (default: a SQLite file
in the temporary folder), unless it already holds exactly that archive (then it is reused:
building 50,000 meetings takes minutes): English readouts as `manage.py generate_archive`
makes them, read by the portal's own parser, about two in three with Japanese beside the
English (titles, leads, agenda items such as “北朝鮮の核・ミサイル問題…”), topics with
Japanese labels on meetings and on the items naming them, regions, and every state a
meeting can be in (drafts, in review, scheduled, expired, taken down, corrections being
drafted), written with bulk inserts, then indexed with `meetings.search.indexing` as
`manage.py index_meetings` does (timed).

Then each query is asked for --rounds times through Django's test client (the whole view:
middleware, the queries, the template; no network, no page cache, since search pages are
not cached), after one warm-up, and its p50 and p95 printed with its SQL query count and
result count. Refuses a database holding other meetings.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# What is searched for: (label, query string).
QUERIES = [
    ("English name (selective)", {"q": "Whitfield"}),
    ("English word, stemmed", {"q": "abductions"}),
    ("English word in most meetings", {"q": "cooperating"}),
    ("phrase", {"q": '"security council"'}),
    ("exclusion", {"q": "climate -disarmament"}),
    ("Japanese 北朝鮮", {"q": "北朝鮮"}),
    ("Japanese 経済安全保障", {"q": "経済安全保障"}),
    ("Japanese, two characters 会談", {"q": "会談"}),
    ("Japanese, one character 核", {"q": "核"}),
    ("English and Japanese", {"q": "Korea 拉致問題"}),
    ("filtered: region and year", {"q": "cooperation", "region": "asia", "year": "2020"}),
    (
        "filtered: topic and type",
        {"q": "exchanged views", "topic": "north-korea", "type": "summit-meeting"},
    ),
    ("no match", {"q": "zanzibar"}),
    ("/ja/ page", {"q": "北朝鮮", "_ja": "1"}),
    ("page 5", {"q": "leaders", "page": "5"}),
]

COUNTRIES_JA = {
    "United States of America": ("米国", "日米", "北米"),
    "Republic of Korea": ("韓国", "日韓", "アジア"),
    "India": ("インド", "日印", "アジア"),
    "Australia": ("豪州", "日豪", "オセアニア"),
    "Canada": ("カナダ", "日加", "北米"),
    "United Kingdom": ("英国", "日英", "欧州"),
    "France": ("フランス", "日仏", "欧州"),
    "Germany": ("ドイツ", "日独", "欧州"),
    "Italy": ("イタリア", "日伊", "欧州"),
    "Brazil": ("ブラジル", "日・ブラジル", "中南米"),
    "Indonesia": ("インドネシア", "日・インドネシア", "アジア"),
    "Viet Nam": ("ベトナム", "日越", "アジア"),
    "Philippines": ("フィリピン", "日・フィリピン", "アジア"),
    "Kenya": ("ケニア", "日・ケニア", "アフリカ"),
    "Egypt": ("エジプト", "日・エジプト", "中東"),
    "Mexico": ("メキシコ", "日・メキシコ", "中南米"),
    "Poland": ("ポーランド", "日・ポーランド", "欧州"),
    "New Zealand": ("ニュージーランド", "日・ニュージーランド", "オセアニア"),
    "Türkiye": ("トルコ", "日・トルコ", "中東"),
    "Singapore": ("シンガポール", "日・シンガポール", "アジア"),
}
REGIONS = {  # Japanese name → (English name, slug)
    "アジア": ("Asia", "asia"),
    "北米": ("North America", "north-america"),
    "欧州": ("Europe", "europe"),
    "オセアニア": ("Oceania", "oceania"),
    "中南米": ("Latin America and the Caribbean", "latin-america"),
    "アフリカ": ("Africa", "africa"),
    "中東": ("Middle East", "middle-east"),
}
TOPICS_JA = {
    "North Korea": ["北朝鮮の核・ミサイル問題", "北朝鮮情勢", "北朝鮮への対応"],
    "Abductions issue": ["拉致問題"],
    "China": ["中国をめぐる諸課題"],
    "Russia’s aggression against Ukraine": ["ロシアによるウクライナ侵略"],
    "G7": ["G7"],
    "G20": ["G20"],
    "Economic security": ["経済安全保障", "経済安全保障分野の協力"],
    "IPEF": ["IPEF"],
    "Free and open Indo-Pacific": ["「自由で開かれたインド太平洋」"],
    "Climate change": ["気候変動"],
    "United Nations Security Council reform": ["安保理改革"],
    "Middle East": ["中東情勢"],
    "Quad": ["日米豪印"],
    "CPTPP": ["CPTPP"],
    "Nuclear disarmament": ["核軍縮・不拡散"],
    "People-to-people exchanges": ["人的交流"],
}
SUBJECTS_JA = {"The two leaders": "両首脳", "The two ministers": "両外相", "The two sides": "双方"}
ITEMS_JA = [
    "{subject}は、{topic}に関する協力を強化し、"
    "年内に具体的な成果に向けた実務者協議を行うことで一致しました。",
    "{subject}は、{topic}について意見交換を行い、"
    "国連の場を含め、引き続き緊密に連携していくことを確認しました。",
    "{topic}に関し、{subject}は深刻な懸念を共有し、同志国とも緊密に連携していくことを確認しました。",
    "{subject}は、{topic}に関する進展を歓迎し、"
    "政府、企業及び市民の間の交流を一層促進することで一致しました。",
    "{subject}は、地域の平和と繁栄にとっての{topic}の重要性を確認し、"
    "次回の会談に向けて協力していくことで一致しました。",
]
OPENING_JA = (
    "冒頭、{subject}は、両国が自由、民主主義、人権、法の支配といった"
    "基本的価値を共有していることを確認しました。"
)
TITLES_JA = {
    "summit-meeting": "{adj}首脳会談",
    "summit-telephone-talk": "{adj}首脳電話会談",
    "foreign-ministers-meeting": "{adj}外相会談",
    "foreign-ministers-telephone-talk": "{adj}外相電話会談",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--remembered",
        action="store_true",
        help="keep the search cache on, as a running site has it: times a search asked again",
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="time the archive the database already holds, whatever its size, read only "
        "(no migrate, no build; PostgreSQL is told so): a copy of the live site, say",
    )
    parser.add_argument(
        "--q",
        action="append",
        metavar="QUERY_STRING",
        help="time this query string (q=security&region=asia) instead of the built-in "
        "queries; may be repeated",
    )
    args = parser.parse_args()

    default_file = Path(tempfile.gettempdir()) / f"portal-search-bench-{args.meetings}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{default_file}")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    # Without --remembered every search is read afresh: the cost of a search never asked.
    os.environ["PORTAL_PAGE_CACHE_SECONDS"] = "600" if args.remembered else "0"
    # No collectstatic needed: pages link the stylesheet by its plain name.
    os.environ["DJANGO_STATICFILES_STORAGE"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from meetings.models import Meeting

    queries = [(query, dict(parse_qsl(query))) for query in args.q] if args.q else QUERIES
    if args.existing:
        if connection.vendor == "postgresql":
            options = connection.settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c default_transaction_read_only=on"
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']} (read only)")
        print(f"timing its {Meeting.objects.live().count()} meetings")
        measure(args.rounds, queries)
        return
    call_command("migrate", verbosity=0)
    built = Meeting.objects.live().count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if built == 0:
        build(args.meetings, args.seed)
    elif built != args.meetings:
        sys.exit(f"the database holds {built} meetings, not {args.meetings}: give a fresh one")
    else:
        print(f"reusing the archive of {built} meetings")
    measure(args.rounds, queries)


def build(count, seed):
    from django.db import transaction

    from meetings.search import indexing

    started = time.perf_counter()
    with transaction.atomic():
        meeting_ids = write_archive(count, seed)
    print(f"built {count} meetings in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    with transaction.atomic():
        indexing.index_meetings(meeting_ids)
    print(f"indexed them in {time.perf_counter() - started:.0f} s")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def write_archive(count, seed):
    """N live meetings (and some corrections being drafted) with everything search reads."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from meetings.archive_generator.readouts import TOPICS, countries, readouts, slugify
    from meetings.importing import parse_readout
    from meetings.models import AgendaItem, Meeting, MeetingType, Participant, Topic
    from relations.models import Region, RelationsPage

    rng = random.Random(seed)
    regions = {
        name_ja: Region.objects.create(name_en=name, name_ja=name_ja, slug=slug, position=i)
        for i, (name_ja, (name, slug)) in enumerate(REGIONS.items())
    }
    pages = {}
    for country in countries(20):
        name = country.name
        name_ja, adj_ja, region_ja = COUNTRIES_JA[name]
        pages[name] = RelationsPage.objects.create(
            title_en=f"Japan-{name} Relations",
            title_ja=f"{adj_ja}関係",
            counterpart_en=name,
            counterpart_ja=name_ja,
            slug=slugify(name),
            region=regions[region_ja],
        )
    types = {meeting_type.slug: meeting_type for meeting_type in MeetingType.objects.all()}
    tags = {}
    for topic in TOPICS:
        tags[topic] = Tag.objects.create(name=topic, slug=slugify(topic))
        label_ja = TOPICS_JA.get(topic, [topic])[0]
        Topic.objects.create(tag=tags[topic], label_en="", label_ja=label_ja)

    now = datetime.now(UTC)
    made = [
        (readout.country.name, parse_readout(readout.text()), readout.topics)
        for readout in readouts(count, relations=20, seed=seed, years=10)
    ]

    meetings, rows = [], []
    for country, parsed, topics in made:
        meeting = Meeting(
            relations_page=pages[country],
            date=parsed.date,
            start_time=parsed.start_time,
            duration=parsed.duration,
            meeting_type=types.get(parsed.meeting_type_slug) or types["other"],
            **state(rng, parsed.date, now),
        )
        japanese = rng.random() < 0.65
        meeting.title_en = meeting.title = parsed.title
        meeting.lead_en = meeting.lead = parsed.lead
        meeting.place_en = meeting.place = parsed.place
        meeting.slug = meeting.slug_from_title()
        items = []
        for position, item in enumerate(parsed.agenda_items, start=1):
            mentioned = [topic for topic in TOPICS if topic in item.text]
            text_ja = japanese_item(rng, item.text, mentioned) if japanese else None
            items.append((position, item, text_ja, mentioned))
        if japanese:
            name_ja, adj_ja, _ = COUNTRIES_JA[country]
            title_ja = TITLES_JA.get(parsed.meeting_type_slug, "{adj}会談").format(adj=adj_ja)
            meeting.title_ja = title_ja
            meeting.lead_ja = (
                f"{parsed.date.month}月{parsed.date.day}日、{name_ja}との間で{title_ja}が行われたところ、"
                "概要は以下のとおりです。"
            )
        meetings.append(meeting)
        rows.append((parsed, items, topics))
    # About one published meeting in a hundred has a correction being drafted.
    corrections = []
    for meeting, (parsed, items, topics) in zip(meetings, rows, strict=True):
        if meeting.state == Meeting.State.PUBLISHED and rng.random() < 0.01:
            corrections.append((meeting, (parsed, items, topics)))
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    drafts = []
    for live, row in corrections:
        draft = Meeting(
            relations_page=live.relations_page,
            date=live.date,
            slug=live.slug,
            meeting_type=live.meeting_type,
            draft_of=live,
            state=Meeting.State.DRAFT,
            title_en=f"{live.title_en} (correction)",
            title=f"{live.title_en} (correction)",
            lead_en=f"{live.lead_en} Unpublished correction wording.",
            lead=live.lead_en,
        )
        drafts.append(draft)
        meetings.append(draft)
        rows.append(row)
    Meeting.objects.bulk_create(drafts, batch_size=2000)

    people, agenda, tagged = [], [], []
    meeting_type = ContentType.objects.get_for_model(Meeting)
    item_type = ContentType.objects.get_for_model(AgendaItem)
    for meeting, (parsed, items, topics) in zip(meetings, rows, strict=True):
        for position, person in enumerate(parsed.participants, start=1):
            people.append(
                Participant(
                    meeting=meeting,
                    side=person.side,
                    name=person.name,
                    name_en=person.name,
                    title=person.title,
                    title_en=person.title,
                    position=position,
                )
            )
        for position, item, text_ja, _mentioned in items:
            agenda.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    is_sub_item=item.is_sub_item,
                    text=item.text,
                    text_en=item.text,
                    text_ja=text_ja,
                )
            )
        tagged += [
            TaggedItem(content_type=meeting_type, object_id=meeting.pk, tag=tags[topic])
            for topic in topics
        ]
    Participant.objects.bulk_create(people, batch_size=5000)
    AgendaItem.objects.bulk_create(agenda, batch_size=5000)
    mentioned_by_item = [
        m for _, (_, items, _) in zip(meetings, rows, strict=True) for *_, m in items
    ]
    for item, mentioned in zip(agenda, mentioned_by_item, strict=True):
        tagged += [
            TaggedItem(content_type=item_type, object_id=item.pk, tag=tags[topic])
            for topic in mentioned
        ]
    TaggedItem.objects.bulk_create(tagged, batch_size=5000)
    print(
        f"{len(meetings)} meetings ({len(drafts)} corrections), {len(agenda)} agenda items, "
        f"{len(people)} participants, {len(tagged)} tags"
    )
    return [meeting.pk for meeting in meetings]


def state(rng, day, now):
    """Mostly published; some drafts, in review, scheduled, expired and taken down."""
    from meetings.models import Meeting

    published_at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(days=1)
    roll = rng.random()
    if roll < 0.04:
        return {"state": Meeting.State.DRAFT}
    if roll < 0.06:
        return {"state": Meeting.State.IN_REVIEW}
    if roll < 0.08:
        return {
            "state": Meeting.State.TAKEN_DOWN,
            "takedown": Meeting.Takedown.WITHDRAWN,
            "published_at": published_at,
            "taken_down_at": now,
        }
    if roll < 0.085:
        return {"state": Meeting.State.PUBLISHED, "published_at": now + timedelta(days=30)}
    if roll < 0.095:
        return {
            "state": Meeting.State.PUBLISHED,
            "published_at": published_at,
            "expires_at": now - timedelta(days=1),
        }
    return {"state": Meeting.State.PUBLISHED, "published_at": min(published_at, now)}


def japanese_item(rng, text, mentioned):
    subject = next((ja for en, ja in SUBJECTS_JA.items() if en.lower() in text.lower()), "双方")
    if not mentioned:
        return OPENING_JA.format(subject=subject)
    topic = "及び".join(rng.choice(TOPICS_JA.get(name, [name])) for name in mentioned)
    return rng.choice(ITEMS_JA).format(subject=subject, topic=topic)


def measure(rounds, searches):
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import translation

    setup_test_environment()  # responses carry their context: the result count
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    client = Client(HTTP_HOST="127.0.0.1")
    print(f"\n{'query':36} {'results':>8} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for label, params in searches:
        params = dict(params)
        with translation.override("ja" if params.pop("_ja", None) else "en"):
            url = f"{reverse('meetings:search')}?{urlencode(params)}"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries.clear()
        with connection.execute_wrapper(count):
            response = client.get(url)
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
        total = response.context["search"].count
        print(f"{label:36} {total:>8} {len(queries):>7} {p50:>7.0f} {p95:>7.0f}")


if __name__ == "__main__":
    main()
