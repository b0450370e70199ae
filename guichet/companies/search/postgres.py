"""Index lookups of the name search on PostgreSQL: pg_trgm, served by the GIN trigram index
(`LIKE '%word%'`, `%>`, `%>>`) and by a varchar_pattern_ops index (`LIKE 'ab%'`)."""

from collections.abc import Iterator

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate

from guichet.companies.search.query import ParsedQuery


def _every_word(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return condition


def strict_ids(companies: QuerySet, words: list[str], *, filtered: bool, limit: int) -> list[int]:
    return list(
        companies.filter(_every_word(words)).order_by().values_list("pk", flat=True)[:limit]
    )


def strict_all(companies: QuerySet, words: list[str]) -> QuerySet:
    return companies.filter(_every_word(words))


def tolerant_ids(
    companies: QuerySet, query: ParsedQuery, *, filtered: bool, limit: int
) -> Iterator[list[int]]:
    """The names holding a stretch close to the query: `search_text %> text` (word similarity
    ≥ 0.6, pg_trgm's default) survives a typo or a missing word. A one-word query that finds
    nothing then tries `search_text %>> text` (strict word similarity ≥ 0.5): one typo in a
    short word ("peugot") costs more trigrams than 0.6 allows. Both use pg_trgm's default
    thresholds: no session setting to keep. The best `limit` by word similarity are kept."""
    text = " ".join(query.distinctive_words)
    tries = [Q(search_text__trigram_word_similar=text)]
    if len(query.distinctive_words) == 1:
        tries.append(Q(search_text__trigram_strict_word_similar=text))
    for close in tries:
        best = (
            companies.filter(close)
            .annotate(word_rank=TrigramWordSimilarity(text, "search_text"))
            .order_by("-word_rank")
        )
        yield list(best.values_list("pk", flat=True)[:limit])


def in_order(companies: QuerySet, ids: list[int]) -> QuerySet:
    if not ids:
        return companies.none()
    position = RawSQL('array_position(%s::bigint[], "companies_company"."id")', [ids])
    return companies.filter(pk__in=ids).order_by(position.asc(), "name", "siren")


def search_prefix(companies: QuerySet, text: str) -> QuerySet:
    """`LIKE 'ab%'` in byte order, served by the index on `search_text COLLATE "C"` for both
    the filter and the order (ordered by name, PostgreSQL would walk the name index from "A"
    to reach the names in "M")."""
    return (
        companies.alias(prefix_key=Collate("search_text", "C"))
        .filter(prefix_key__startswith=text)
        .order_by("prefix_key", "siren")
    )
