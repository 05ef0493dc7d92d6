"""Search over published meetings: /search/?q=… in English and Japanese.

- `text`: how text is normalised, for documents and queries alike;
- `indexing`: each meeting's search document (`SearchDocument`), kept current;
- `query`: reading what a visitor typed into terms, and matching documents with them
  (PostgreSQL: full-text search and trigram-indexed substrings; SQLite: substrings);
- `results`: one search: the matching meetings' count, the counts of each filter, a page;
- `snippets`: where the words matched, highlighted, with the agenda item to link to.
"""
