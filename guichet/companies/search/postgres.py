"""Name search on PostgreSQL: pg_trgm word similarity, served by the GIN trigram index."""

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Q, QuerySet


def search_words(companies: QuerySet, text: str) -> QuerySet:
    """A name matches when a stretch of it is close to the query: `search_text %> text` (word
    similarity ≥ 0.6, pg_trgm's default) catches a typo, a missing word or a partial one
    ("dijon" in DIJONNAISE). A one-word query also accepts `search_text %>> text` (strict word
    similarity ≥ 0.5): one typo in a short word ("peugot", "renaut") costs more trigrams than
    the 0.6 threshold allows. Both are served by the GIN index with pg_trgm's default
    thresholds, so no session setting is needed.

    The closest stretch ranks first, then the closest whole name (so "PEUGEOT" comes before
    "PEUGEOT CITROEN AUTOMOBILES"), then the name."""
    close = Q(search_text__trigram_word_similar=text)
    if " " not in text:
        close |= Q(search_text__trigram_strict_word_similar=text)
    return (
        companies.filter(close)
        .annotate(
            word_rank=TrigramWordSimilarity(text, "search_text"),
            name_rank=TrigramSimilarity("search_text", text),
        )
        .order_by("-word_rank", "-name_rank", "name", "siren")
    )


def search_prefix(companies: QuerySet, text: str) -> QuerySet:
    """`LIKE 'ab%'`, served by the varchar_pattern_ops index."""
    return companies.filter(search_text__startswith=text).order_by("name", "siren")
