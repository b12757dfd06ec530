"""Bigram tokenizer for Chinese full-text search (the CJKAnalyzer / Elasticsearch ``cjk`` scheme).

A run of Han characters becomes its overlapping bigrams (``有限空间`` → ``有限 限空 空间``);
a lone Han character stays a unigram; Latin words and numbers stay whole. Text is NFKC-
normalised (full-width → half-width) and lower-cased first. Queries go through the same
function, so a two-character term is a single token and a longer one a phrase of tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RUN = re.compile(f"[{HAN}]+|[a-z0-9]+")
HAN_RUN = re.compile(f"^[{HAN}]+$")


def normalise(text: str) -> str:
    """Return *text* NFKC-normalised and lower-cased (``２０２３ＡＢ`` → ``2023ab``)."""
    return unicodedata.normalize("NFKC", text or "").lower()


def tokenize(text: str) -> list[str]:
    """Return the search tokens of *text* in order: Han bigrams (or a lone unigram), whole Latin words and numbers."""
    result: list[str] = []
    for run in TOKEN_RUN.findall(normalise(text)):
        if HAN_RUN.match(run) and len(run) > 1:
            result.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            result.append(run)
    return result


def search_text(*parts: str) -> str:
    """Return the ``search_text`` column value for the given text parts: tokens joined by spaces.

    Parts are tokenized separately, so no bigram spans two fields.
    """
    return " ".join(" ".join(tokenize(part)) for part in parts if part)


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query.

    Attributes:
        phrases: one token list per query word that the index can match (two or more Han
            characters, or a Latin word/number); all must match, each as a phrase.
        singles: lone Han characters, matched with LIKE on the base table.
        terms: the normalised query words, for highlighting.

    """

    phrases: tuple[tuple[str, ...], ...] = ()
    singles: tuple[str, ...] = ()
    terms: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """Return whether nothing searchable was given."""
        return not self.phrases and not self.singles


def parse_query(raw: str, max_words: int = 8) -> SearchQuery:
    """Parse a user query: words split on whitespace and punctuation, at most *max_words* kept."""
    phrases, singles, terms = [], [], []
    for word in TOKEN_RUN.findall(normalise(raw))[:max_words]:
        terms.append(word)
        tokens = tuple(tokenize(word))
        if len(tokens) == 1 and HAN_RUN.match(tokens[0]) and len(tokens[0]) == 1:
            singles.append(tokens[0])
        else:
            phrases.append(tokens)
    return SearchQuery(tuple(phrases), tuple(singles), tuple(terms))
