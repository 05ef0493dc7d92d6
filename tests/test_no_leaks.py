"""Nothing the public may not see reaches a public page, feed, sitemap or search.

Hypothesis draws a set of meetings in every state the workflow can leave one in, each with
its own marker words in its title, lead, agenda items, photo caption and topic (and, for
some, the name of the new relations page its import made), built through the importer and
the workflow's steps. Then the public site is crawled as a visitor would: from the home
pages, following every link on the site, plus the feeds, the sitemaps, robots.txt and a
search for every marker, and the addresses of the hidden meetings and their topics asked
for directly. A marker of a meeting the public may not see appears nowhere, and its photo
is not served; every marker of a public meeting appears somewhere, and a search for its
title finds it, so the test cannot pass by crawling nothing.

`LEAK_EXAMPLES=50` for a long run by hand (see tests/test_fuzz.py).
"""

import html
import itertools
import os
import re
from collections import Counter, deque
from datetime import date, timedelta
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from meetings import topics, workflow
from meetings.importing import Vocabulary, parse_readout, save_readout
from meetings.models import Meeting
from tests import factories

# What each state is made of, in workflow steps after the import (see build()).
NEVER_PUBLIC = ["draft", "in review", "scheduled", "unscheduled"]
ONCE_PUBLIC = ["expired", "withdrawn", "in error", "merged", "restored as draft", "unpublished"]
PUBLIC = ["published", "corrected in a draft", "corrected in review"]
STATES = NEVER_PUBLIC + ONCE_PUBLIC + PUBLIC

START = ["/", "/ja/", "/robots.txt", "/sitemap.xml", "/meetings/feed/rss/", "/meetings/feed/atom/"]
LINK = re.compile(r'(?:href|src)="([^"]+)"|<(?:loc|link|id)>([^<]+)</')
SITE = {"testserver", urlsplit(settings.PORTAL_BASE_URL).netloc}
MOST_PAGES = 600
MOST_VARIANTS = 3

_serial = itertools.count(1)


def marker(field):
    """A word found nowhere else, of letters only so that search reads it as one word; no
    marker holds another, since only its first letter is a z."""
    number, letters = next(_serial), ""
    while number:
        number, digit = divmod(number, 25)
        letters += "abcdefghijklmnopqrstuvwxy"[digit]
    return f"zq{letters}{field}"


def readout(page_title, day, markers):
    return f"""{page_title}

{day:%B} {day.day}, {day.year}
(Photo) Japan Foreign Ministers’ Meeting {markers["title"]}
{markers["caption"]} of the two ministers

On {day:%B} {day.day}, the two ministers met. {markers["lead"]} was discussed.

  1. The two ministers discussed {markers["item"]}.
  2. They exchanged views on {markers["topic"]}.

Back to {page_title}
"""


def every_state_once(drawn):
    """The drawn meetings, the first of them given each state in turn (published first:
    a merged meeting needs one to be merged into)."""
    order = ["published", *(state for state in STATES if state != "published")]
    return [
        (order[index] if index < len(order) else state, page, day)
        for index, (state, page, day) in enumerate(drawn)
    ]


class LeakTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "erin")
        cls.publisher = factories.member_of("Publishers", "pat")
        region = factories.region("Europe", slug="europe")
        cls.pages = [
            factories.relations_page(name, region=region, slug=name.lower())
            for name in ("Borduria", "Syldavia")
        ]

    # No shrinking: each example crawls the site, and the drawn example says enough.
    @hypothesis_settings(
        max_examples=int(os.environ.get("LEAK_EXAMPLES", 3)),
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(STATES),
                st.one_of(st.sampled_from([0, 1]), st.just("new page")),
                st.dates(date(2015, 1, 1), date(2024, 12, 31)),
            ),
            min_size=len(STATES),
            max_size=len(STATES) + 4,
        ).map(every_state_once)
    )
    def test_no_marker_of_a_meeting_the_public_may_not_see_is_public(self, meetings):
        caches["searches"].clear()
        secret, public, hidden_photos, hidden_addresses, found_by = set(), set(), [], [], {}
        merge_target = None
        for state, page_choice, day in meetings:
            markers = {field: marker(field) for field in ("title", "lead", "item", "caption")}
            markers["topic"] = marker("topic").capitalize()
            topics.define_topic(markers["topic"])
            if page_choice == "new page":
                markers["page"] = marker("page").capitalize()
                page_title = f"Japan-{markers['page']} Relations"
            else:
                page_title = self.pages[page_choice].title
            meeting = save_readout(
                parse_readout(readout(page_title, day, markers), Vocabulary.from_database())
            ).meeting
            self.add_photo(meeting)
            photos = [
                session.image.url for session in meeting.photo_sessions.all() if session.image
            ]
            meeting, corrected = self.build(meeting, state, merge_target)
            merge_target = merge_target or (meeting if state == "published" else None)
            words = {value.lower() for value in markers.values()}
            topic_page = reverse("meetings:topic", args=[slugify(markers["topic"])])
            if state in PUBLIC:
                public |= words
                secret |= {corrected.lower()} if corrected else set()
                found_by[search_for(markers["title"])] = meeting.get_absolute_url()
            elif state in NEVER_PUBLIC:
                secret |= words
                hidden_photos += photos
                hidden_addresses += [meeting.get_absolute_url(), topic_page]
            else:
                # Once public, the page its import made stays. A withdrawn meeting's page
                # stays too, with its notice and photos, at its address: nothing links to it.
                secret |= words - {markers.get("page", "").lower()}
                if state != "withdrawn":
                    hidden_photos += photos
                    hidden_addresses += [meeting.get_absolute_url(), topic_page]

        searches = [search_for(word) for word in sorted(secret | public)]
        bodies = crawl(Client(), [*START, *hidden_addresses, *searches])
        # A page whose address holds the word (a search for it) may say it back.
        leaks = {
            word: [url for url, body in bodies.items() if word in body.lower() and word not in url]
            for word in secret
        }
        self.maxDiff = None
        self.assertEqual({word: urls for word, urls in leaks.items() if urls}, {})
        site = "\n".join(bodies.values()).lower()
        self.assertEqual({word for word in public if word not in site}, set())
        for search, address in found_by.items():
            self.assertIn(f'href="{address}"', bodies[search])
        for url in hidden_photos:
            self.assertNotIn(url.lower(), site)
            self.assertEqual(Client().get(url).status_code, 404, url)

    def add_photo(self, meeting):
        session = meeting.photo_sessions.first()
        session.image = factories.uploaded_gif()
        session.save()

    def build(self, meeting, state, merge_target):
        """The meeting brought to the state by the workflow's steps; with the marker its
        correction holds unpublished, if any."""
        editor, publisher = self.editor, self.publisher
        if state == "draft":
            return meeting, None
        workflow.submit_for_review(meeting, by=editor)
        if state == "in review":
            return meeting, None
        if state in ("scheduled", "unscheduled"):
            workflow.approve(meeting, by=publisher, at=timezone.now() + timedelta(days=3))
            if state == "unscheduled":
                workflow.unschedule(meeting, by=publisher)
            return meeting, None
        meeting = workflow.approve(meeting, by=publisher)
        if state == "expired":
            workflow.set_expiry(meeting, by=publisher, at=timezone.now() + timedelta(hours=1))
            # The hour passes.
            Meeting.objects.filter(pk=meeting.pk).update(expires_at=timezone.now())
        elif state == "withdrawn":
            workflow.take_down(meeting, by=publisher, kind="withdrawn", note="Withdrawn.")
        elif state == "in error":
            workflow.take_down(meeting, by=publisher, kind="in_error")
        elif state == "merged":
            target = merge_target or meeting.relations_page.meetings.published().first()
            workflow.take_down(meeting, by=publisher, kind="merged", merged_into=target)
        elif state == "restored as draft":
            workflow.take_down(meeting, by=publisher, kind="withdrawn", note="Withdrawn.")
            workflow.restore_as_draft(meeting, by=publisher)
        elif state == "unpublished":
            workflow.unpublish(meeting, by=publisher)
        elif state.startswith("corrected"):
            correction = workflow.start_correction(meeting, by=editor)
            changed = marker("corrected")
            correction.title = f"{correction.title} {changed}"
            correction.save()
            workflow.record_edit(correction, by=editor)
            if state == "corrected in review":
                workflow.submit_for_review(correction, by=editor)
            return meeting, changed
        return meeting, None


def search_for(word):
    return f"/search/?{urlencode({'q': word})}"


def crawl(client, start):
    """{address: body} of every public address reached from `start` by following links on
    the site (pages, feeds and sitemaps), breadth first, up to MOST_PAGES of them."""
    bodies, queue, seen, variants = {}, deque(start), set(start), Counter()
    while queue and len(bodies) < MOST_PAGES:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            found = [response["Location"]]
        elif not response.streaming:  # pages, and what a hidden address answers (404, 410)
            body = response.content.decode(errors="replace")
            bodies[url] = body
            found = [html.unescape(a or b).strip() for a, b in LINK.findall(body)]
        else:
            continue  # a photo
        for link in found:
            parts = urlsplit(urljoin(f"http://testserver{url}", link))
            address = parts.path + (f"?{parts.query}" if parts.query else "")
            on_site = parts.netloc in SITE and not address.startswith(("/admin/", "/static/"))
            # Filters and pages of one address: a few of each, not every combination.
            variants[parts.path] += bool(parts.query) and address not in seen
            if on_site and address not in seen and variants[parts.path] <= MOST_VARIANTS:
                seen.add(address)
                queue.append(address)
    return bodies
