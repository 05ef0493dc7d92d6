"""Filtering a list by year and by one other key (a relations page, a meeting type), with the
count of entries behind each choice, all read from one GROUP BY query's rows.

A value the query string names must be one of the choices: anything else answers 404, so a
mistyped or hostile value never reaches the database and no empty page pretends to be real.
"""

from dataclasses import dataclass

from django.http import Http404


@dataclass
class Choice:
    """One year or key to filter by, as a link shows it."""

    value: str
    label: str
    count: int
    chosen: bool


class Facets:
    """Counts by year and by key, and the year and key chosen in the query string.

    `rows` are (year, key, count), possibly several for the same pair (they are added up).
    Each facet is counted within the other's choice: with 2024 chosen, each key counts its
    entries of 2024; choices with nothing to show are left out, the chosen ones never."""

    def __init__(self, rows, *, year=None, key=None):
        self.counts = {}
        for row_year, row_key, count in rows:
            pair = (str(row_year), row_key)
            self.counts[pair] = self.counts.get(pair, 0) + count
        self.year = chosen(year, {year for year, _ in self.counts})
        self.key = chosen(key, self.all_keys)
        # Each facet within the other's choice, and the total both leave: one pass.
        self._by_year, self._by_key, self._total = {}, {}, 0
        for (row_year, row_key), count in self.counts.items():
            year_fits, key_fits = self.year in (None, row_year), self.key in (None, row_key)
            if key_fits:
                self._by_year[row_year] = self._by_year.get(row_year, 0) + count
            if year_fits:
                self._by_key[row_key] = self._by_key.get(row_key, 0) + count
                if key_fits:
                    self._total += count

    def __bool__(self):
        return bool(self.counts)

    @property
    def all_keys(self):
        return {key for _, key in self.counts}

    @property
    def chosen_year(self):
        return int(self.year) if self.year else None

    @property
    def total(self):
        """How many entries the chosen year and key leave."""
        return self._total

    def years(self):
        """The years, newest first, each counted within the chosen key."""
        counted = dict(self._by_year)
        if self.year:
            counted.setdefault(self.year, 0)
        return [
            Choice(year, year, counted[year], year == self.year)
            for year in sorted(counted, reverse=True)
        ]

    def keys(self, labels):
        """The keys in the order of `labels` ({key: label}), each counted within the
        chosen year."""
        counted = self._by_key
        return [
            Choice(key, label, counted.get(key, 0), key == self.key)
            for key, label in labels.items()
            if counted.get(key) or key == self.key
        ]


def chosen(value, choices):
    """The choice a query parameter names: None when it is absent or empty, 404 when it
    names none of them."""
    if not value:
        return None
    if value not in choices:
        raise Http404("There is nothing to show for that filter.")
    return value
