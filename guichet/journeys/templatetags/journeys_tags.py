"""Display helpers of the timeline."""

from django import template

register = template.Library()

# One DSFR illustrative colour per family of exchange, so that a long timeline scans by type.
_BADGE_COLOURS = {
    "call": "fr-badge--blue-cumulus",
    "meeting": "fr-badge--green-emeraude",
    "visit": "fr-badge--green-archipel",
    "email": "fr-badge--blue-ecume",
    "event": "fr-badge--purple-glycine",
    "aid": "fr-badge--yellow-tournesol",
    "diagnostic": "fr-badge--orange-terre-battue",
    "need": "fr-badge--pink-tuile",
    "note": "fr-badge--beige-gris-galet",
    "other": "",
}


@register.filter
def kind_badge(kind: str) -> str:
    return _BADGE_COLOURS.get(kind, "")
