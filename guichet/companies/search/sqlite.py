"""Index lookups of the name search on SQLite: the FTS5 trigram table `companies_company_fts`
(see schema.py) and a binary-collated index on `search_text` for prefixes."""

from collections.abc import Iterator

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from guichet.companies.search.query import ParsedQuery, word_trigrams

# Trigrams asked for per query word: the rarest ones carry the identity of a name.
TRIGRAMS_PER_WORD = 6
_MATCHING = "SELECT rowid FROM companies_company_fts WHERE companies_company_fts MATCH %s"


def _quoted(term: str) -> str:
    # Normalised text holds only [a-z0-9 ]: quoting makes each term a literal FTS5 string.
    return '"' + term.replace('"', '""') + '"'


def _fts_ids(expression: str, within: QuerySet | None, limit: int) -> list[int]:
    """Best `limit` rows by bm25, among the companies of `within` when given."""
    sql, params = _MATCHING, [expression]
    if within is not None:
        inner_sql, inner_params = within.values("pk").order_by().query.sql_with_params()
        # "+rowid": filter the FTS hits, rather than run the MATCH once per filtered row.
        sql += f" AND +rowid IN ({inner_sql})"
        params += list(inner_params)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY rank LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def _every_word(words: list[str]) -> str:
    return " AND ".join(_quoted(w) for w in words)


def strict_ids(companies: QuerySet, words: list[str], *, filtered: bool, limit: int) -> list[int]:
    return _fts_ids(_every_word(words), companies if filtered else None, limit)


def strict_all(companies: QuerySet, words: list[str]) -> QuerySet:
    return companies.filter(pk__in=RawSQL(_MATCHING, [_every_word(words)]))  # noqa: S611


def _document_frequencies(trigrams: set[str]) -> dict[str, int]:
    if not trigrams:
        return {}
    marks = ", ".join(["%s"] * len(trigrams))
    sql = f"SELECT term, doc FROM companies_company_fts_vocab WHERE term IN ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*trigrams])
        return dict(cursor.fetchall())


def _tolerant_expressions(query: ParsedQuery) -> list[str]:
    """FTS5 queries that survive a typo: each word becomes an OR of its rarest trigrams that
    some name holds (a typo's own trigrams hold in no name and are dropped).

    First every word must match that way (an AND of ORs: bm25 ranks few rows, where an OR of
    everything costs ten times more on 600,000 names), then, for a query holding a word that
    the name lacks, any of them."""
    per_word = {w: set(word_trigrams(w)) for w in query.distinctive_words}
    frequency = _document_frequencies(set().union(*per_word.values()))
    groups = []
    for trigrams in per_word.values():
        known = sorted((t for t in trigrams if frequency.get(t)), key=lambda t: frequency[t])
        if known:
            groups.append(" OR ".join(_quoted(t) for t in sorted(known[:TRIGRAMS_PER_WORD])))
    if not groups:
        return []
    expressions = [" AND ".join(f"({group})" for group in groups)]
    if len(groups) > 1:
        expressions.append(" OR ".join(groups))
    return expressions


def tolerant_ids(
    companies: QuerySet, query: ParsedQuery, *, filtered: bool, limit: int
) -> Iterator[list[int]]:
    within = companies if filtered else None
    for expression in _tolerant_expressions(query):
        yield _fts_ids(expression, within, limit)


def in_order(companies: QuerySet, ids: list[int]) -> QuerySet:
    """The companies of `ids`, in that order: the position of ",id," in one string parameter
    (one parameter instead of a CASE of hundreds of branches, which takes long to compile)."""
    if not ids:
        return companies.none()
    listed = "," + ",".join(str(pk) for pk in ids) + ","
    position = RawSQL("instr(%s, ',' || \"companies_company\".\"id\" || ',')", [listed])
    return companies.filter(pk__in=ids).order_by(position.asc(), "name", "siren")


def search_prefix(companies: QuerySet, text: str) -> QuerySet:
    """Names starting with `text`, as a range on the binary-collated index of search_text
    (SQLite's LIKE is case-insensitive and cannot use it)."""
    upper = text[:-1] + chr(ord(text[-1]) + 1)
    return companies.filter(search_text__gte=text, search_text__lt=upper).order_by(
        "search_text", "name", "siren"
    )
