"""How text is normalised for search, the same way for documents and for what is typed."""

import re
import unicodedata

# Letters and digits; everything else (punctuation, spaces, “・”, “、”) separates words.
WORD = re.compile(r"[^\W_]+")

# Scripts written without spaces between words (Japanese kana and kanji; Korean Hangul is
# matched the same way). PostgreSQL's parser cannot split them into words, so a term
# holding one is matched as a substring of the text.
CJK = re.compile(
    "["
    "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\uac00-\ud7af"
    "]"
)

CJK_RUN = re.compile(CJK.pattern + "+")

# Crude English endings, stripped to match “sanctions” with “sanction” where no stemmer is
# at hand (SQLite, and highlighting on both databases).
ENDINGS = ("ies", "ing", "ed", "es", "s")


def words(text):
    """The words of a text as search compares them: NFKC, case-folded, no punctuation.

    NFKC makes full-width “ＡＳＥＡＮ” and “２０２４” the ASCII a reader would type."""
    return WORD.findall(unicodedata.normalize("NFKC", text or "").casefold())


def normalised(*texts):
    """The texts as one line of words, each word with a space before it and after it, so
    that a word's start can be matched as “ word”."""
    joined = " ".join(word for text in texts for word in words(text))
    return f" {joined} " if joined else " "


def has_cjk(text):
    return bool(CJK.search(text))


def is_cjk(word):
    """Whether the word is written in those scripts only."""
    return bool(CJK_RUN.fullmatch(word))


def bigrams(run):
    """The overlapping pairs of characters of a run of Japanese: 北朝鮮 → 北朝, 朝鮮.

    PostgreSQL indexes them as words, with their positions, so that a Japanese word of two
    characters or more is found anywhere inside a sentence: as its pairs, one after the
    other."""
    return [run[start : start + 2] for start in range(len(run) - 1)]


def stem(word):
    """“sanctions” → “sanction”, “talks” → “talk”, “countries” → “countr”: a prefix that
    the word's other forms start with too."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word
