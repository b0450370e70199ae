"""What the search box holds: an identifier (SIREN, SIRET) or words of a name."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from guichet.companies.text import normalise

_SEPARATORS = re.compile(r"[\s.\-_/]+")

# A query of one or two characters is too short for trigrams: it is matched as a prefix.
PREFIX_MAX_LENGTH = 2
# The shortest query word a trigram index can look up.
TRIGRAM_LENGTH = 3
# Words that very many names hold (legal forms, articles): they identify nobody, and
# in a typo-tolerant lookup they only multiply the candidates.
COMMON_WORDS = frozenset(
    {
        *("sa", "sas", "sasu", "sarl", "eurl", "sci", "snc", "scp", "scm", "selarl", "selas"),
        *("scea", "gaec", "earl", "sca", "sem", "cie", "ste", "ets", "societe"),
        *("etablissements", "associes", "et", "de", "du", "des", "la", "le", "les", "l", "d"),
        *("au", "aux", "en", "sur"),
    }
)


@dataclass(frozen=True)
class ParsedQuery:
    kind: str  # "empty", "siren", "siret", "prefix" or "words"
    value: str  # the identifier's digits, or the normalised text

    @property
    def words(self) -> list[str]:
        return self.value.split()

    @property
    def indexable_words(self) -> list[str]:
        return [w for w in self.words if len(w) >= TRIGRAM_LENGTH]

    @property
    def distinctive_words(self) -> list[str]:
        """The indexable words but the common ones (all of them if nothing else is left)."""
        words = self.indexable_words
        return [w for w in words if w not in COMMON_WORDS] or words


def parse_query(raw: str) -> ParsedQuery:
    """SIREN (9 digits) or SIRET (14 digits) typed with or without spaces are identifiers;
    anything else is a name, normalised like `Company.search_text`."""
    compact = _SEPARATORS.sub("", raw or "")
    if compact.isdigit() and len(compact) == 9:
        return ParsedQuery("siren", compact)
    if compact.isdigit() and len(compact) == 14:
        return ParsedQuery("siret", compact)
    text = normalise(raw)
    if not text:
        return ParsedQuery("empty", "")
    if len(text) <= PREFIX_MAX_LENGTH:
        return ParsedQuery("prefix", text)
    return ParsedQuery("words", text)


def word_trigrams(word: str) -> list[str]:
    return [word[i : i + TRIGRAM_LENGTH] for i in range(len(word) - TRIGRAM_LENGTH + 1)]


def _word_match(query_word: str, name_words: list[str]) -> float:
    """1 for the same word, 0.9 when the query word is part of a name word ("boulang" in
    "boulangerie"), else the edit similarity of the closest name word (one typo in a
    9-letter word ≈ 0.9)."""
    best = 0.0
    for word in name_words:
        if word == query_word:
            return 1.0
        if len(query_word) >= TRIGRAM_LENGTH and query_word in word:
            best = max(best, 0.9)
            continue
        best = max(best, SequenceMatcher(None, query_word, word, autojunk=False).ratio())
    return best


def name_score(query: ParsedQuery, search_text: str) -> float:
    """How well a company's names answer the query, 0..1: each query word is matched with the
    closest word of the names, weighted by its length, so that a missing name word costs
    nothing ("boulangerie martin" → BOULANGERIE PATISSERIE MARTIN) and a typo costs little."""
    name_words = search_text.split()
    if not name_words:
        return 0.0
    total = sum(len(w) for w in query.words)
    matched = sum(len(w) * _word_match(w, name_words) for w in query.words)
    return matched / total if total else 0.0
