"""Text helpers shared by the import and the search: one normalisation for both sides."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case, accent-free, single-spaced: "L'Été-Brûlé" → "l ete brule"."""
    if not text:
        return ""
    if text.isascii():  # most SIRENE names: no accent to strip (and 5× faster)
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()


def company_display_name(
    *, denomination: str, first_name: str, last_name: str, usage_name: str, usual_names: str
) -> str:
    """The name people know: the denomination, or "first name + (usage) name" of a sole trader."""
    if denomination:
        return denomination
    person = " ".join(p for p in (first_name, usage_name or last_name) if p)
    return person or usual_names or ""


def company_search_text(*parts: str) -> str:
    seen: list[str] = []
    for part in parts:
        words = normalise(part)
        if words and words not in seen:
            seen.append(words)
    return " ".join(seen)[:600]
