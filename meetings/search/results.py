"""One search: how many published meetings match, the counts of each filter, one page.

Everything is read in one statement: the published meetings the words match are found once,
in a common table expression (`matching`: `Meeting.objects.published()` joined to the
documents the query's conditions match, both written by the ORM), and from it come the
total, the counts per relations page, region, meeting type, year and topic, and the ids of
the page asked for. Finding the matches is the costly part (on PostgreSQL, reading the index
and the documents' vectors); doing it once per count would cost six times that. The ORM
cannot write such a statement, so the join and the counting around `matching` are written
here.

At 50,000 meetings on PostgreSQL, a word in half the documents (“security”) costs about
160 ms of the server's time: finding and ranking the matches about 75, the topics' counts
about 60 (every topic of every match is counted), the other counts 10, the page 5.

Each filter's counts are of the meetings that match the words and every *other* filter
chosen: what choosing that value would give, so a visitor can move from one region to
another without first removing the one chosen.
"""

import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, FloatField, Value
from django.db.models.functions import ExtractYear
from taggit.models import Tag

from meetings import caching
from meetings.models import Meeting, MeetingType, SearchDocument
from relations.models import Region, RelationsPage

from . import facets, snippets
from .query import Query

PER_PAGE = 20
TOP_TOPICS = 15

# The filters, as URL parameters; all but the topic are columns of `matching`, and all but
# the year name a row by its slug: {filter: (its column, the model the slug names)}.
FILTERS = ["relations", "region", "type", "year", "topic"]
_COLUMNS = {
    "relations": (F("relations_page_id"), RelationsPage),
    "region": (F("relations_page__region_id"), Region),
    "type": (F("meeting_type_id"), MeetingType),
    "year": (ExtractYear("date"), None),
}
_YEAR = re.compile(r"[0-9]{4}", re.ASCII)
_PAGE = re.compile(r"[0-9]{1,6}", re.ASCII)
_SLUG_MAX_LENGTH = 200


def read_filters(params):
    """The filters a visitor chose, from the query string: {name: value}; a year that is
    not one (four digits) is left out, as is a slug too long to be one."""
    filters = {}
    for name in FILTERS:
        value = (params.get(name) or "").strip()
        if not value or len(value) > _SLUG_MAX_LENGTH:
            continue
        if name == "year":
            if not _YEAR.fullmatch(value):
                continue
            value = int(value)
        filters[name] = value
    return filters


def read_page_number(value):
    """The page asked for: a number from 1, else the first."""
    value = (value or "").strip()
    return max(1, int(value)) if _PAGE.fullmatch(value) else 1


@dataclass
class Found:
    """What the statement read: the total, each filter's counts ({filter: {id or year:
    count}}), the page's meeting ids."""

    total: int = 0
    by_filter: dict = field(default_factory=lambda: {name: {} for name in FILTERS})
    meeting_ids: list = field(default_factory=list)


class Search:
    """The published meetings a query matches, with the visitor's filters applied."""

    def __init__(self, query, filters):
        self.query = query
        self.filters = filters

    def find(self, page_number):
        """The counts, and the ids of the page asked for, best first (by rank where there
        is one, else newest first); a page past the last is read as the last."""
        if not self.query:
            return Found(), 1
        found = self._read(offset=(page_number - 1) * PER_PAGE)
        last_page = max(1, -(-found.total // PER_PAGE))
        if page_number > last_page:
            page_number = last_page
            found = self._read(offset=(page_number - 1) * PER_PAGE)
        return found, page_number

    def _read(self, offset):
        sql, params = self._statement(offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = Found()
        hits = []
        for name, value, number in rows:
            if name == "total":
                found.total = number
            elif name == "hit":
                hits.append((number, int(value)))
            elif value is not None:
                found.by_filter[name][int(value)] = number
        found.meeting_ids = [meeting_id for _, meeting_id in sorted(hits)]
        return found

    # The statement

    def _statement(self, offset):
        sql, params = self._matching()
        parts = []

        def add(part, part_params):
            parts.append(part)
            params.extend(part_params)

        # A filter not chosen counts under every filter chosen, as the total does; on
        # PostgreSQL they are all counted in one pass over `matching` (GROUPING SETS).
        # SQLite has no grouping sets: there, and for the filters chosen, one GROUP BY each.
        together = []
        if connection.vendor == "postgresql":
            together = [name for name in _COLUMNS if name not in self.filters]
        conditions, condition_params = self._conditions()
        add(_counted_together(together, conditions), condition_params)
        for name in _COLUMNS:
            if name in together:
                continue
            conditions, condition_params = self._conditions(but=name)
            column = _quoted(name)
            add(
                f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*) FROM matching "
                f"WHERE {conditions} GROUP BY {column}",
                condition_params,
            )
        conditions, condition_params = self._conditions(but="topic")
        table, document, tag = _carried()
        add(
            # A join rather than IN: the planner then hashes the matches once.
            f"SELECT * FROM (SELECT 'topic' AS name, CAST({tag} AS TEXT) AS value, "
            f"COUNT(*) AS number FROM {table} JOIN matching ON meeting_id = {document} "
            f"WHERE {conditions} GROUP BY {tag} "
            f"ORDER BY number DESC, {tag} LIMIT {TOP_TOPICS}) AS topics",
            condition_params,
        )
        conditions, condition_params = self._conditions()
        add(
            # Numbered in the page's order, since a union keeps no order of its own.
            "SELECT 'hit', CAST(meeting_id AS TEXT), ROW_NUMBER() OVER "
            "(ORDER BY rank DESC, date DESC, meeting_id DESC) FROM (SELECT * FROM matching "
            f"WHERE {conditions} ORDER BY rank DESC, date DESC, meeting_id DESC "
            f"LIMIT {PER_PAGE} OFFSET {int(offset)}) AS hits",
            condition_params,
        )
        return f"{sql} {' UNION ALL '.join(parts)}", params

    def _matching(self):
        """`matching`: the published meetings the terms match, with their rank, date and the
        ids (and year) the filters read.

        The documents are ranked on their own, so that what is joined to the meetings is
        an id and a number, not the documents' vectors: PostgreSQL may hash that side of
        the join (it does when it expects few matches, as for Japanese phrases), and
        hashing vectors of thousands of documents spilled to disk. OFFSET 0 keeps it from
        merging the documents' query into the join, which would carry the vectors again."""
        rank = self.query.rank(prefix="")
        documents = (
            SearchDocument.objects.filter(self.query.matching(prefix=""))
            .order_by()
            .values(
                "meeting_id",
                rank=rank if rank is not None else Value(0.0, output_field=FloatField()),
            )
        )
        published = (
            Meeting.objects.published()
            .order_by()
            .values(
                "date",
                meeting_id=F("pk"),
                **{name: column for name, (column, _) in _COLUMNS.items()},
            )
        )
        documents_sql, documents_params = documents.query.sql_with_params()
        published_sql, published_params = published.query.sql_with_params()
        columns = ", ".join(
            f"published.{_quoted(name)}" for name in ["date", "meeting_id", *_COLUMNS]
        )
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        sql = (
            f"WITH matching AS MATERIALIZED (SELECT {columns}, documents.rank "
            f"FROM ({published_sql}) AS published JOIN ({documents_sql}{fence}) AS documents "
            "ON documents.meeting_id = published.meeting_id)"
        )
        return sql, [*published_params, *documents_params]

    def _conditions(self, but=None):
        """SQL keeping the rows of `matching` that pass every filter chosen `but` one."""
        conditions, params = ["1 = 1"], []
        for name, value in self.filters.items():
            if name == but:
                continue
            if name == "topic":
                table, document, tag = _carried()
                conditions.append(
                    f"meeting_id IN (SELECT {document} FROM {table} WHERE {tag} = "
                    f"(SELECT id FROM {_quoted(Tag._meta.db_table)} WHERE slug = %s))"
                )
            elif name == "year":
                conditions.append(f"{_quoted(name)} = %s")
            else:
                table = _quoted(_COLUMNS[name][1]._meta.db_table)
                conditions.append(f"{_quoted(name)} = (SELECT id FROM {table} WHERE slug = %s)")
            params.append(value)
        return " AND ".join(conditions), params


def _counted_together(names, conditions):
    """SQL counting the rows of `matching` that pass `conditions`: the total, and per value
    of each of the filters `names` (at most one GROUP BY pass, with grouping sets)."""
    if not names:
        return f"SELECT 'total', NULL, COUNT(*) FROM matching WHERE {conditions}"
    columns = {name: _quoted(name) for name in names}
    # GROUPING(column) is 0 in the rows grouped by that column; () is the total.
    name = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN '{name}'" for name, column in columns.items()
    )
    value = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN CAST({column} AS TEXT)" for column in columns.values()
    )
    sets = ", ".join(f"({column})" for column in columns.values())
    return (
        f"SELECT CASE {name} ELSE 'total' END, CASE {value} END, COUNT(*) FROM matching "
        f"WHERE {conditions} GROUP BY GROUPING SETS ((), {sets})"
    )


def _quoted(name):
    return connection.ops.quote_name(name)


def _carried():
    """The table of the topics each document's meeting carries (`SearchDocument.topics`),
    and its columns: the document (the meeting's id) and the tag."""
    meta = SearchDocument.topics.through._meta
    return (
        _quoted(meta.db_table),
        _quoted(meta.get_field("searchdocument").column),
        _quoted(meta.get_field("tag").column),
    )


class _Counted:
    """As many results as were counted, for the paginator's arithmetic."""

    def __init__(self, total):
        self.total = total

    def __len__(self):
        return self.total


@dataclass
class SearchPage:
    """Everything a results page shows."""

    query: Query
    count: int
    page: Page
    facets: list
    active_filters: list


def search(params, language):
    """The search a query string asks for (q, the filters, page), for a page in `language`."""
    query = Query.parse(params.get("q"))
    filters = read_filters(params)
    asked_for = read_page_number(params.get("page"))
    found, page_number = caching.remembered_search(
        repr((query.terms, sorted(filters.items()), asked_for)),
        lambda: Search(query, filters).find(asked_for),
    )
    meetings = Meeting.objects.filter(pk__in=found.meeting_ids).for_listing().in_bulk()
    results = [meetings[pk] for pk in found.meeting_ids]
    snippets.attach_snippets(results, query, language)
    page = Page(results, page_number, Paginator(_Counted(found.total), PER_PAGE))
    shown = facets.facets(found, filters, params) if query else []
    return SearchPage(query, found.total, page, shown, facets.active_filters(shown, params))
