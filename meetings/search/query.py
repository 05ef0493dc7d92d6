"""What a visitor typed, read into terms, and the documents those terms match.

    sanctions "security council" -climate 北朝鮮

Words must all match; "quoted words" match as a phrase; a -word or -"phrase" must not. A
term holding Japanese (or other text written without spaces) is found anywhere inside the
text, on both databases: 北朝鮮 in 北朝鮮の核・ミサイル問題.

- On PostgreSQL, full-text search on the documents' vectors, through their GIN index:
  English with stemming (“sanctions” finds “sanction”), phrases and exclusions; Japanese
  as pairs of characters (see `bigrams`); ranked. Stop words (“the”) alone find nothing.
  Japanese the pairs cannot find (a single character, or run together with letters, as
  in G7サミット) is matched as a substring of the text, through its trigram index.
- On SQLite, substrings of the documents' text: an English word at the start of a word,
  its crude English ending dropped (`text.stem`): “sanctions” finds “sanction” and
  “sanctioned”; Japanese anywhere. Newest first.

Anything typed is safe: it is only ever read into words, and those words are passed to the
database as parameters (LIKE's wildcards escaped by Django).
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q

from . import bigrams, text

# Longer queries are cut, with a note saying so.
MAX_LENGTH = 200
MAX_TERMS = 12

# A "phrase" (with its closing quote) or a run of anything else but spaces, each perhaps
# after a minus; an unbalanced quote is dropped, leaving the words after it.
_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
# Quotes as phones and Japanese keyboards type them count as straight ones.
_QUOTES = str.maketrans(dict.fromkeys("“”„「」『』＂", '"'))


@dataclass(frozen=True)
class Term:
    """Words that must appear together, in this order (or, excluded, must not)."""

    words: tuple[str, ...]
    excluded: bool = False

    @property
    def is_japanese(self):
        """Whether the term holds Japanese (or other text written without spaces), found
        anywhere inside words rather than at their start."""
        return any(text.has_cjk(word) for word in self.words)

    def pattern(self):
        """What the normalised text contains where the term matches: “ sanction” at the start
        of a word (its last word's ending dropped), or the Japanese as it is."""
        if self.is_japanese:
            return " ".join(self.words)
        return " " + " ".join([*self.words[:-1], text.stem(self.words[-1])])

    def websearch(self):
        """The term in PostgreSQL's websearch_to_tsquery syntax; the words are letters and
        digits only, so nothing in them is read as an operator."""
        phrase = " ".join(self.words)
        phrase = f'"{phrase}"' if len(self.words) > 1 else phrase
        return f"-{phrase}" if self.excluded else phrase


@dataclass(frozen=True)
class Query:
    """A search as typed (`typed`), and the terms read from it."""

    typed: str
    terms: tuple[Term, ...]
    shortened: bool = False  # the visitor typed more than is searched

    @classmethod
    def parse(cls, typed):
        typed = (typed or "").strip()
        shortened = len(typed) > MAX_LENGTH
        terms = []
        for match in _TOKEN.finditer(typed[:MAX_LENGTH].translate(_QUOTES)):
            minus, phrase, word_minus, word = match.groups()
            term = Term(tuple(text.words(phrase if phrase is not None else word)))
            excluded = bool(minus or word_minus)
            # “or” alone is websearch's OR: read as a word, it is a stop word anyway.
            if term.words and term.words != ("or",):
                term = Term(term.words, excluded)
                if term not in terms:
                    terms.append(term)
        shortened = shortened or len(terms) > MAX_TERMS
        return cls(typed, tuple(terms[:MAX_TERMS]), shortened)

    def __bool__(self):
        return bool(self.terms)

    @property
    def highlighted(self):
        """The terms to show where they matched: those not excluded."""
        return [term for term in self.terms if not term.excluded]

    def matching(self, prefix="search_document__"):
        """A Q for the meetings (or, with prefix="", the documents) the terms match."""
        condition = Q()
        for term in self.terms:
            if self._by_substring(term):
                contains = Q(**{f"{prefix}text__contains": term.pattern()})
                condition &= ~contains if term.excluded else contains
        full_text = self._full_text()
        if full_text is not None:
            condition &= Q(**{f"{prefix}vector": full_text})
        return condition

    def rank(self, prefix="search_document__"):
        """How well a meeting matches, higher first; None (order by date) when nothing is
        ranked: on SQLite, or when every word is excluded or matched as a substring."""
        full_text = self._full_text()
        ranked = [term for term in self.terms if not term.excluded and not self._by_substring(term)]
        if full_text is None or not ranked:
            return None
        return SearchRank(F(f"{prefix}vector"), full_text)

    def _by_substring(self, term):
        """Whether the term is matched as a substring of the text: always on SQLite; on
        PostgreSQL, only Japanese the vectors' pairs of characters cannot find (a single
        character, or Japanese run together with letters or digits, as in G7サミット)."""
        if connection.vendor != "postgresql":
            return True
        return term.is_japanese and not bigrams.can_query(term.words)

    def _full_text(self):
        """PostgreSQL's query for the terms not matched as substrings: English words with
        websearch_to_tsquery, Japanese as pairs of characters (see `bigrams`)."""
        english = [term for term in self.terms if not term.is_japanese]
        parts = []
        if english and connection.vendor == "postgresql":
            websearch = " ".join(term.websearch() for term in english)
            parts.append(SearchQuery(websearch, search_type="websearch", config="english"))
        for term in self.terms:
            if term.is_japanese and not self._by_substring(term):
                literal = bigrams.query_literal(term.words)
                parts.append(bigrams.WrittenQuery(literal, invert=term.excluded))
        if not parts:
            return None
        combined = parts[0]
        for part in parts[1:]:
            combined &= part
        return combined
