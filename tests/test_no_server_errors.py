"""No address and no query string makes the site answer 500, in the admin or the public site.

Every URL pattern of the site is asked for with hostile values in each of its parameters
(and real ones in the others), and every admin list with hostile values in each of its
filters, as a superuser and as an anonymous visitor.
"""

import re
from datetime import date, timedelta
from urllib.parse import quote, urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory, TestCase
from django.urls import LocalePrefixPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meetings import revisions
from meetings.models import Meeting, PreviewLink, Topic
from tests import factories

HOSTILE = [
    "²",
    "①",
    "٢٠٢٤",  # Arabic-Indic digits: isdigit() and int() take them, a year regex may not
    "0",
    "0000",
    "0001",  # year 1 in Tokyo is year 0 in UTC
    "9999",
    "9" * 30,
    "-1",
    "x" * 300,
    "\x00",
    "../",
    "' OR 1=1 --",
    "{{7*7}}",
    "日本語",
]

# Query parameters the site's own views read (the admin lists' ones are fuzzed apart).
VIEW_QUERY_NAMES = ["page", "revision", "a", "b", "next", "term"]
# …the filters of relations pages, topics and the search, and the search's words.
VIEW_QUERY_NAMES += ["q", "relations", "region", "type", "year", "topic"]
# Django's views for each model in the admin: their lists are fuzzed filter by filter, and
# the others read no query parameter of the visitor's choosing.
MODEL_ADMIN_VIEW = re.compile(r"_(changelist|add|history|delete|change)$")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
ADMIN_URL_NAME = re.compile(r"^(?P<app_label>[a-z]+)_(?P<model_name>[a-z]+)_")


def regex_to_route(regex):
    """A regex pattern as a route: `(?P<name>…)` groups become `<name>`, anchors go."""
    route, position = "", 0
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    while position < len(regex):
        if regex.startswith("(?P<", position):
            name_end = regex.index(">", position)
            route += f"<{regex[position + 4 : name_end]}>"
            depth, position = 1, name_end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[position], 0)
                position += 1
        elif regex[position] == "\\":
            route += regex[position + 1]
            position += 2
        else:
            route += regex[position]
            position += 1
    return route


def pattern_route(pattern):
    route = getattr(pattern, "_route", None)
    return route if route is not None else regex_to_route(pattern._regex)


def every_route(patterns, prefix=""):
    """(route, name) of every URL pattern, with the prefixes of the includes above it.

    The public site's patterns are walked once per language: English unprefixed, /ja/."""
    for entry in patterns:
        if isinstance(entry.pattern, LocalePrefixPattern):
            for language_prefix in ["", "ja/"]:
                yield from every_route(entry.url_patterns, prefix + language_prefix)
            continue
        route = prefix + pattern_route(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from every_route(entry.url_patterns, route)
        else:
            yield route, entry.name or ""


def parameters(route):
    return [match["name"] for match in PARAMETER.finditer(route)]


def fill(route, values):
    return "/" + PARAMETER.sub(lambda match: quote(values[match["name"]], safe=""), route)


def real_values(real, route, url_name):
    """The first of the `real` values of each parameter; for an admin page, an object it
    shows."""
    values = {name: real.get(name, ["1"])[0] for name in parameters(route)}
    admin_name = ADMIN_URL_NAME.match(url_name)
    if "object_id" in values and admin_name:
        try:
            model = apps.get_model(admin_name["app_label"], admin_name["model_name"])
        except LookupError:  # a page of the admin site itself, e.g. view_on_site
            return values
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            values["object_id"] = str(first.pk)
    return values


class NoServerErrorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = factories.staff_user("fuzzer")
        region = factories.region("Asia", slug="asia")
        page = factories.relations_page("Canada", region=region, slug="canada")
        meeting = factories.full_meeting(page, title="Fuzzed readout")
        draft = factories.meeting(page, published=False, title="Fuzzed draft")
        revision = revisions.record(meeting, by=cls.superuser, event="Saved in the admin")
        link = PreviewLink.objects.create(
            meeting=draft, created_by=cls.superuser, expires_at=timezone.now() + timedelta(1)
        )
        topic = Topic.objects.create(tag=meeting.tags.get(name="G7"), synonyms="Group of 7")
        # Real values of each parameter, so that the others of an address lead somewhere
        # while one is hostile.
        cls.real = {
            "slug": [page.slug, topic.tag.slug],
            "page_slug": [page.slug],
            "year": [f"{meeting.date:%Y}"],
            "month": [f"{meeting.date:%m}"],
            "day": [f"{meeting.date:%d}"],
            "token": [str(link.token)],
            "object_id": [str(meeting.pk), str(draft.pk)],
            "link_id": [str(link.pk)],
            "content_type_id": [str(ContentType.objects.get_for_model(Meeting).pk)],
            "id": [str(cls.superuser.pk)],
            "app_label": ["meetings"],
            "url": ["no-such-page/"],
            "path": ["photos/none.gif"],
        }
        cls.revision_number = str(revision.number)

    def setUp(self):
        self.visitor = Client(raise_request_exception=False)
        self.editor = Client(raise_request_exception=False)
        self.editor.force_login(self.superuser)

    def assert_no_server_error(self, urls, *, as_visitor=True, as_superuser=True):
        clients = [("visitor", self.visitor)] if as_visitor else []
        clients += [("superuser", self.editor)] if as_superuser else []
        for url in dict.fromkeys(urls):
            for who, client in clients:
                with self.subTest(url=url, who=who):
                    self.assertLess(client.get(url).status_code, 500)

    def test_every_address_with_hostile_values_in_its_parameters(self):
        urls = [settings.MEDIA_URL + "x" * 256 + ".jpg"]
        for route, url_name in every_route(get_resolver().url_patterns):
            real = real_values(self.real, route, url_name)
            urls.append(fill(route, real))
            for name in real:
                for value in [*HOSTILE, *self.real.get(name, [])]:
                    urls.append(fill(route, {**real, name: value}))
            for value in HOSTILE:
                urls.append(fill(route, dict.fromkeys(real, value)))
        self.assert_no_server_error(urls)

    def test_every_address_with_hostile_query_strings(self):
        # A visitor asking for an admin page is sent to log in before any parameter is read;
        # public pages are the same for everyone.
        public, admin_pages = [], []
        for route, url_name in every_route(get_resolver().url_patterns):
            is_admin = route.startswith("admin/")
            if is_admin and MODEL_ADMIN_VIEW.search(url_name or "_change"):
                continue
            url = fill(route, real_values(self.real, route, url_name))
            for value in [*HOSTILE, self.revision_number]:
                query = urlencode(dict.fromkeys(VIEW_QUERY_NAMES, value))
                (admin_pages if is_admin else public).append(f"{url}?{query}")
        self.assert_no_server_error(public, as_superuser=False)
        self.assert_no_server_error(admin_pages, as_visitor=False)

    def test_every_admin_list_with_hostile_filters_ordering_pages_and_searches(self):
        urls = []
        for model, model_admin in admin.site._registry.items():
            changelist = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
            )
            urls += [
                f"{changelist}?{urlencode(query)}"
                for query in self.hostile_list_queries(model_admin)
            ]
        self.assert_no_server_error(urls, as_visitor=False)

    def hostile_list_queries(self, model_admin):
        """Hostile values in each filter of an admin list and in its date hierarchy; and in
        its ordering, page and search, read together since none of them stops the others."""
        request = RequestFactory().get("/")
        request.user = self.superuser
        changelist = model_admin.get_changelist_instance(request)
        names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
        hierarchy = model_admin.date_hierarchy
        if hierarchy:
            names += [f"{hierarchy}__{part}" for part in ("year", "month", "day")]
        for value in HOSTILE:
            for name in [*names, "_to_field"]:
                yield {name: value}
            yield {"o": value, "p": value, "q": value}
            if hierarchy:
                year, month, day = (f"{hierarchy}__{part}" for part in ("year", "month", "day"))
                yield {year: "2024", month: value}
                yield {year: "2024", month: "05", day: value}
                yield {year: value, month: "12", day: "31"}


class ImpossibleAdminFilterTests(TestCase):
    """What the admin's meeting list does with the year and date values the fuzz found."""

    @classmethod
    def setUpTestData(cls):
        cls.superuser = factories.staff_user("lister")
        page = factories.relations_page("Canada", slug="canada")
        cls.old = factories.meeting(page, title="Readout of 2023", date=date(2023, 5, 19))
        cls.new = factories.meeting(page, title="Readout of 2024", date=date(2024, 5, 19))

    def setUp(self):
        self.client.force_login(self.superuser)

    def list_meetings(self, **query):
        return self.client.get(reverse("admin:meetings_meeting_changelist"), query)

    def test_the_date_hierarchy_takes_a_year_of_four_ascii_digits(self):
        response = self.list_meetings(date__year="2023")
        self.assertContains(response, "Readout of 2023")
        self.assertNotContains(response, "Readout of 2024")
        self.assertNotContains(response, "That date is out of range")

    def test_the_date_hierarchy_ignores_what_no_year_is_with_a_message(self):
        for year in ["²", "①", "٢٠٢٤", "0", "0000", "9" * 30]:
            with self.subTest(year=year):
                response = self.list_meetings(date__year=year)
                self.assertContains(response, "Readout of 2023")
                self.assertContains(response, "Readout of 2024")
                self.assertContains(response, "That date is out of range")

    def test_a_date_out_of_range_is_ignored_with_a_message(self):
        for query in [
            {"date__year": "0001"},
            {"date__year": "9999"},
            {"date__year": "9" * 30},
            {"date__year": "9999", "date__month": "12", "date__day": "31"},
        ]:
            with self.subTest(query=query):
                response = self.list_meetings(**query)
                self.assertContains(response, "Readout of 2023")
                self.assertContains(response, "Readout of 2024")
                self.assertContains(response, "That date is out of range")
