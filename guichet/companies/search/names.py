"""Name search, the same on both engines; each engine only supplies index lookups.

1. Strict pass: the companies whose names contain every query word of 3+ letters. When there
   are more than `CANDIDATES`, the words are common and the user needs no typo tolerance: the
   result is every strict match, shortest name first.
2. With no strict match, a tolerant pass asks the trigram index for the `CANDIDATES` best
   companies whose names share enough trigrams with the query's distinctive words (legal forms
   and articles left out): they survive a typo or a missing word. The engine may try several
   tolerant queries, cheapest first: the first that brings a result above the threshold ends
   the search.
3. Both sets are scored by `query.name_score` (edit similarity per word). The strict matches
   are kept, the tolerant ones from `THRESHOLD`; the queryset keeps the score order.

Every pass runs inside the other filters' result, so a filter never hides a good match that
fell outside the candidate limit. Both passes are bounded (`CANDIDATES`), so the cost of a
query does not grow with the registry, except for the strict list of a common word, which is
an index lookup.
"""

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Length

from guichet.companies.models import Company
from guichet.companies.search.query import ParsedQuery, name_score

CANDIDATES = 300
THRESHOLD = 0.75
# A name typed right has its exact matches: typo tolerance would only add noise (and it is the
# costly pass).
ENOUGH_STRICT = 1


def _engine():
    if connection.vendor == "postgresql":
        from guichet.companies.search import postgres

        return postgres
    from guichet.companies.search import sqlite

    return sqlite


def rank(query: ParsedQuery, strict: list[int], tolerant: list[int]) -> list[int]:
    """Ids by decreasing score, then shorter name; tolerant ones only from THRESHOLD."""
    texts = Company.objects.filter(pk__in=set(strict) | set(tolerant)).values_list(
        "pk", "search_text"
    )
    strict_set = set(strict)
    scored = []
    for pk, text in texts:
        score = name_score(query, text)
        if pk in strict_set or score >= THRESHOLD:
            scored.append((-score, len(text), text, pk))
    return [pk for *_order, pk in sorted(scored)]


def search_prefix(companies: QuerySet, text: str) -> QuerySet:
    return _engine().search_prefix(companies, text)


def search_names(companies: QuerySet, query: ParsedQuery, *, filtered: bool) -> QuerySet:
    engine = _engine()
    words = query.indexable_words
    if not words:
        return engine.search_prefix(companies, query.value)
    strict = engine.strict_ids(companies, words, filtered=filtered, limit=CANDIDATES + 1)
    if len(strict) > CANDIDATES:
        # Shortest names first. Not by name: the names holding a word typed first cluster in
        # alphabetical order ("SCI …" under S), and PostgreSQL, walking the name index in the
        # hope of 25 quick hits, read 400,000 rows before the first "SCI" of a département.
        every = engine.strict_all(companies, words)
        return every.order_by(Length("search_text"), "name", "siren")
    ranked = rank(query, strict, [])
    if len(strict) >= ENOUGH_STRICT:
        return engine.in_order(companies, ranked)
    for tolerant in engine.tolerant_ids(companies, query, filtered=filtered, limit=CANDIDATES):
        ranked = rank(query, strict, tolerant)
        if ranked:
            break
    return engine.in_order(companies, ranked)
