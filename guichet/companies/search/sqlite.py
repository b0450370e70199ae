"""Name search on SQLite: an FTS5 trigram index finds a bounded set of candidates, Python
ranks them.

1. Strict pass: the companies whose names contain every query word of 3+ letters
   (`"fromagerie" AND "dijon"`). When there are more than `CANDIDATES`, the words are common
   and the user needs no typo tolerance: the list is every strict match, shortest name first.
2. Otherwise a tolerant pass adds the best `CANDIDATES` companies by bm25 over an OR of the
   query's rarest trigrams, which survive a typo or a missing word.
3. Both sets are scored with `query.name_score` (edit similarity per word); the strict matches
   are always kept, the tolerant ones above `THRESHOLD`. The queryset keeps that order.

The candidate queries run inside the other filters' result, so a filter never hides a good
match that fell outside the candidate limit.
"""

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from guichet.companies.models import Company
from guichet.companies.search.query import ParsedQuery, name_score, word_trigrams

CANDIDATES = 300
THRESHOLD = 0.75
# Trigrams asked for per query word: the rarest ones carry the identity of a name.
TRIGRAMS_PER_WORD = 4
_MATCHING = "SELECT rowid FROM companies_company_fts WHERE companies_company_fts MATCH %s"


def _quoted(term: str) -> str:
    # Normalised text holds only [a-z0-9 ]: quoting makes each term a literal FTS5 string.
    return '"' + term.replace('"', '""') + '"'


def _fts_ids(expression: str, within: QuerySet | None, limit: int) -> list[int]:
    sql = _MATCHING
    params: list = [expression]
    if within is not None:
        inner_sql, inner_params = within.values("pk").order_by().query.sql_with_params()
        # "+rowid": filter the FTS hits, rather than run the MATCH once per filtered row.
        sql += f" AND +rowid IN ({inner_sql})"
        params += list(inner_params)
    sql += " ORDER BY rank LIMIT %s"
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _document_frequencies(trigrams: set[str]) -> dict[str, int]:
    if not trigrams:
        return {}
    marks = ", ".join(["%s"] * len(trigrams))
    with connection.cursor() as cursor:
        sql = f"SELECT term, doc FROM companies_company_fts_vocab WHERE term IN ({marks})"  # noqa: S608
        cursor.execute(sql, [*trigrams])
        return dict(cursor.fetchall())


def _tolerant_expression(query: ParsedQuery) -> str:
    """OR of the rarest trigrams of each word that some name holds (a typo's trigrams hold
    in no name and are dropped)."""
    per_word = {w: set(word_trigrams(w)) for w in query.indexable_words}
    frequency = _document_frequencies(set().union(*per_word.values()))
    chosen: set[str] = set()
    for trigrams in per_word.values():
        known = sorted((t for t in trigrams if frequency.get(t)), key=lambda t: frequency[t])
        chosen.update(known[:TRIGRAMS_PER_WORD])
    return " OR ".join(_quoted(t) for t in sorted(chosen))


def _ranked(query: ParsedQuery, strict: list[int], tolerant: list[int]) -> list[int]:
    texts = dict(
        Company.objects.filter(pk__in=set(strict) | set(tolerant)).values_list("pk", "search_text")
    )
    strict_set = set(strict)
    scored = []
    for pk, text in texts.items():
        score = name_score(query, text)
        if pk in strict_set or score >= THRESHOLD:
            scored.append((-score, len(text), text, pk))
    return [pk for *_order, pk in sorted(scored)]


def _in_order(companies: QuerySet, ids: list[int]) -> QuerySet:
    if not ids:
        return companies.none()
    position = Case(
        *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField()
    )
    return companies.filter(pk__in=ids).order_by(position, "name", "siren")


def search_words(companies: QuerySet, query: ParsedQuery, *, filtered: bool) -> QuerySet:
    words = query.indexable_words
    if not words:
        return search_prefix(companies, query.value)
    within = companies if filtered else None
    strict_expression = " AND ".join(_quoted(w) for w in words)
    strict = _fts_ids(strict_expression, within, CANDIDATES + 1)
    if len(strict) > CANDIDATES:
        matching = RawSQL(_MATCHING, [strict_expression])  # noqa: S611 (a bound parameter)
        return companies.filter(pk__in=matching).order_by(Length("search_text"), "name", "siren")
    tolerant_expression = _tolerant_expression(query)
    tolerant = _fts_ids(tolerant_expression, within, CANDIDATES) if tolerant_expression else []
    return _in_order(companies, _ranked(query, strict, tolerant))


def search_prefix(companies: QuerySet, text: str) -> QuerySet:
    """Names starting with `text`, as a range on the binary-collated index of search_text
    (SQLite's LIKE is case-insensitive and cannot use it)."""
    upper = text[:-1] + chr(ord(text[-1]) + 1)
    return companies.filter(search_text__gte=text, search_text__lt=upper).order_by(
        "search_text", "name", "siren"
    )
