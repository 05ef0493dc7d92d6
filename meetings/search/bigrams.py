"""Japanese in PostgreSQL's full-text search: pairs of characters indexed as words.

PostgreSQL's parser cannot split Japanese into words (nothing separates them), so the
documents' vectors hold each run of Japanese as its overlapping pairs of characters, with
their positions, and its last character: 北朝鮮の核 as 北朝 朝鮮 鮮の の核 核. A Japanese word
of two characters or more is then found anywhere inside a sentence, through the same GIN
index as English words, as its pairs one after the other: 北朝鮮 is the query 北朝 <-> 朝鮮;
a single character as any pair starting with it, or a run's last character: 核:*.

Vectors and queries are written out here and read by PostgreSQL as they are (`::tsvector`,
`::tsquery`), with no parser or dictionary, so they do not depend on the database's locale.
The pairs hold only Japanese characters (see `text.CJK`): nothing in them needs quoting.
"""

from django.contrib.postgres.search import SearchQuery, SearchVectorCombinable
from django.contrib.postgres.search import SearchVectorField as VectorField
from django.db.models import Func, Value

from . import text

# Positions between words: a query's words one after the other are this far apart.
WORD_GAP = 2


def vector_literal(*texts):
    """The pairs of characters of the texts' Japanese, with positions: "'北朝':1 '朝鮮':2"."""
    if not any(text.has_cjk(value or "") for value in texts):
        return ""  # English only, as most documents: no need to count its words' positions
    lexemes, position = [], 1
    for value in texts:
        for word in text.words(value):
            if word.isascii():  # no Japanese: one position, as `_word` counts it
                position += WORD_GAP
            else:
                position = _word(word, position, lexemes) + WORD_GAP - 1
    return " ".join(lexemes)


def _word(word, position, lexemes):
    """Add the word's pairs at their positions; returns the position after the word."""
    start = 0
    for run in text.CJK_RUN.finditer(word):
        if run.start() > start:  # letters or digits before the run take one position
            position += 1
        pairs = text.bigrams(run[0])
        lexemes += [f"'{pair}':{position + offset}" for offset, pair in enumerate(pairs)]
        # The last character alone too: with the pairs starting with it, a character is
        # found wherever it stands (核 in 北朝鮮の核), as the query '核':*.
        lexemes.append(f"'{run[0][-1]}':{position + len(pairs)}")
        position += max(len(pairs), 1)
        start = run.end()
    if start < len(word):
        position += 1
    return position


def query_literal(words):
    """The query for a term of Japanese words (see `can_query`): each word's pairs one
    after the other, the words WORD_GAP apart: "'北朝' <-> '朝鮮'"; a single character as
    the prefix of a pair or a last character: "'核':*"."""
    if len(words) == 1 and len(words[0]) == 1:
        return f"'{words[0]}':*"
    return f" <{WORD_GAP}> ".join(
        " <-> ".join(f"'{pair}'" for pair in text.bigrams(word)) for word in words
    )


def can_query(words):
    """Whether the vectors' pairs find these words: Japanese only, each of two characters
    or more, or a single character alone."""
    if not all(text.is_cjk(word) for word in words):
        return False
    return all(len(word) >= 2 for word in words) or (len(words) == 1 and len(words[0]) == 1)


class WrittenVector(SearchVectorCombinable, Func):
    """A vector written out, weighted: setweight('…'::tsvector, 'A')."""

    template = "setweight((%(expressions)s)::tsvector, '%(weight)s')"
    output_field = VectorField()

    def __init__(self, literal, weight):
        if weight not in ("A", "B", "C", "D"):
            raise ValueError(f"No such weight: {weight}")
        super().__init__(Value(literal), weight=weight)


class WrittenQuery(SearchQuery):
    """A query written out: '北朝' <-> '朝鮮', combinable with other search queries."""

    template = "(%(expressions)s)::tsquery"

    def __init__(self, literal, *, invert=False):
        super().__init__(Value(literal), invert=invert)
