"""Hostile values drawn by Hypothesis, where test_no_server_errors.py tries a fixed list.

Every URL pattern (walked from the resolver, so a new route is fuzzed the day it is added),
every query parameter the public views read and unknown ones, every admin list's filters,
ordering, page, search and date hierarchy, and the import page: never a 5xx, never a
traceback in the body, and each example within a deadline.

`FUZZ_EXAMPLES=2000 make test PYTEST_ARGS=tests/test_fuzz.py` for a long run by hand (with
`HYPOTHESIS_PROFILE=explore`, new examples each run).
"""

import os
from datetime import timedelta
from urllib.parse import quote

from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from meetings import topics
from meetings.models import PreviewLink
from tests import factories
from tests.browser_forms import read_form
from tests.meetings.test_exporting import readouts
from tests.test_no_server_errors import (
    PARAMETER,
    VIEW_QUERY_NAMES,
    every_route,
    parameters,
    real_values,
)

ROUTES = list(dict.fromkeys(every_route(get_resolver().url_patterns)))
PUBLIC_ROUTES = [(route, name) for route, name in ROUTES if not route.startswith("admin/")]
# …and those the public views read besides: the sitemap sections' page, a photo's preview.
QUERY_NAMES = [*VIEW_QUERY_NAMES, "p", "preview"]
ADMIN_LIST_NAMES = ["o", "p", "q", "all", "e", "_to_field", "_popup", "_changelist_filters"]
IMPORT_URL = reverse("admin:meetings_meeting_import")

FRAGMENTS = [
    "' OR 1=1 --",
    '"; DROP TABLE meetings_meeting; --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "{% debug %}",
    "../",
    "..%2F",
    "%00",
    "%2F",
    "%25",
    "%ZZ",
    "%C0%AF",
    "%FF%FE",
    "\x00",
    "\u202e",
    "٢٠٢٤",
    "²",
    "NaN",
    "1e309",
    "0x10",
    "-0",
    " ",
    "\r\n",
    "?",
    "#",
    "&",
    "=",
    "__",
    "__year",
    "__in",
]
NUMBERS = st.integers(-(10**40), 10**40).map(str)
LONG = st.builds(
    lambda piece, count: piece * count, st.text(min_size=1, max_size=3), st.integers(200, 20_000)
)
HOSTILE = st.one_of(
    NUMBERS,
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    LONG,
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), NUMBERS, st.text(max_size=8)), max_size=5).map(
        "".join
    ),
)


def fuzz_settings(examples):
    """`examples` per test (FUZZ_EXAMPLES overrides it), each within 2 s: generous, since the
    machine running the suite may be slow and shared."""
    return settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", examples)),
        deadline=timedelta(seconds=2),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def encoded(value, raw):
    """A value as it goes into an address: quoted, or with its percent signs left as they are
    (so that `%00`, `%FF` or `%2F` reach the server decoded, as a browser can send them)."""
    return quote(value, safe="%" if raw else "")


def fill(route, values, raw):
    return "/" + PARAMETER.sub(lambda match: encoded(values[match["name"]], raw), route)


@st.composite
def mangled(draw, text):
    """A readout in the text shape with hostile values put into some of its lines."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] += draw(HOSTILE)
    return "\n".join(lines)


def list_parameters(model_admin, user):
    """The query parameters an admin list reads: its filters' and its date hierarchy's."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return names


class FuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = factories.staff_user("fuzzer")
        cls.real = real_values_for_a_small_site(cls.superuser)

    def setUp(self):
        self.visitor = Client(raise_request_exception=False)
        self.editor = Client(raise_request_exception=False)
        self.editor.force_login(self.superuser)

    def assert_answered(self, client, url, **request):
        post = request.pop("post", None)
        response = client.post(url, post, **request) if post is not None else client.get(url)
        self.assertLess(response.status_code, 500, url[:500])
        body = b"".join(response) if response.streaming else response.content
        self.assertNotIn(b"Traceback (most recent call last)", body)
        self.assertNotIn(b"Exception Value", body)
        return response

    @fuzz_settings(500)
    @given(st.sampled_from(ROUTES), st.data())
    def test_any_address_with_hostile_values_in_its_parameters(self, route_and_name, data):
        route, url_name = route_and_name
        values = real_values(self.real, route, url_name)
        for name in parameters(route):
            real = st.sampled_from(self.real.get(name, ["1"]))
            values[name] = data.draw(st.one_of(real, HOSTILE), label=name)
        url = fill(route, values, raw=data.draw(st.booleans(), label="raw"))
        # A visitor asking for an admin page is sent to log in before any parameter is read.
        as_editor = route.startswith("admin/") or data.draw(st.booleans(), label="as editor")
        client = self.editor if as_editor else self.visitor
        self.assert_answered(client, url)

    @fuzz_settings(400)
    @given(
        st.sampled_from(PUBLIC_ROUTES),
        st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), HOSTILE), HOSTILE), max_size=6),
        st.booleans(),
    )
    def test_any_public_page_with_hostile_query_strings(self, route_and_name, query, raw):
        route, url_name = route_and_name
        url = fill(route, real_values(self.real, route, url_name), raw=False)
        pairs = "&".join(f"{encoded(name, raw)}={encoded(value, raw)}" for name, value in query)
        self.assert_answered(self.visitor, f"{url}?{pairs}")

    @fuzz_settings(300)
    @given(st.sampled_from(sorted(admin.site._registry.items(), key=str)), st.data())
    def test_any_admin_list_with_hostile_filters(self, model_and_admin, data):
        model, model_admin = model_and_admin
        names = [*list_parameters(model_admin, self.superuser), *ADMIN_LIST_NAMES]
        query = data.draw(
            st.lists(st.tuples(st.one_of(st.sampled_from(names), HOSTILE), HOSTILE), max_size=5)
        )
        raw = data.draw(st.booleans(), label="raw")
        pairs = "&".join(f"{encoded(name, raw)}={encoded(value, raw)}" for name, value in query)
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        self.assert_answered(self.editor, f"{changelist}?{pairs}")

    @fuzz_settings(60)
    @given(st.one_of(readouts().flatmap(mangled), HOSTILE), st.binary(max_size=300), st.data())
    def test_the_import_page_with_hostile_readouts(self, text, upload, data):
        form = read_form(self.assert_answered(self.editor, IMPORT_URL), "form[enctype]")
        form.set("text", text)
        files = [SimpleUploadedFile("readout.txt", upload)] if upload else []
        preview = form.submit(self.editor, files={"files": files} if files else None)
        self.assertLess(preview.status_code, 500)
        if b'name="step" value="confirm"' not in preview.content:
            return
        confirmation = read_form(preview, "input[name=step][value=confirm]")
        tags = [name for name in confirmation.names if name.endswith("-tags")]
        if tags:
            confirmation.set(data.draw(st.sampled_from(sorted(tags))), data.draw(HOSTILE))
        done = confirmation.submit(self.editor)
        self.assertLess(done.status_code, 500)


def real_values_for_a_small_site(superuser):
    region = factories.region("Asia", slug="asia")
    page = factories.relations_page("Canada", region=region, slug="canada")
    meeting = factories.full_meeting(page, title="Fuzzed readout")
    draft = factories.meeting(page, published=False, title="Fuzzed draft")
    link = PreviewLink.objects.create(
        meeting=draft, created_by=superuser, expires_at=timezone.now() + timedelta(days=1)
    )
    topic = topics.define_topic("G7", "Group of 7")
    factories.index_all()
    return {
        "slug": [page.slug, topic.tag.slug, meeting.slug],
        "page_slug": [page.slug],
        "year": [f"{meeting.date:%Y}"],
        "month": [f"{meeting.date:%m}"],
        "day": [f"{meeting.date:%d}"],
        "object_id": [str(meeting.pk)],
        "id": [str(superuser.pk)],
        "app_label": ["meetings"],
        "section": ["meetings", "relations", "topics"],
        "token": [str(link.token)],
        "path": ["photos/none.gif"],
    }
