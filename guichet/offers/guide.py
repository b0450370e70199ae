"""The yearly *programme export* (PAREX 1 measure 7; PAREX 2 measure 2: present "les différents
moyens — financiers et d'accompagnement — mis en place par les membres de l'Équipe de l'export"),
generated from the catalogue.

Part one walks the export journey: each offer appears once, under the first stage it targets
(offers open to every stage come last). Part two lists each partner's offers, pointing to their
entry in part one. The same context feeds the public HTML page and the PDF.
"""

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from guichet.offers.eligibility import audience_lines, rules_of
from guichet.offers.models import Offer
from guichet.offers.selectors import with_audience

ALL_STAGES_KEY = "toutes-etapes"


@dataclass
class GuideEntry:
    offer: Offer
    audience: list[str]
    anchor: str


@dataclass
class GuideSection:
    key: str
    title: str
    intro: str
    entries: list[GuideEntry] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"etape-{self.key}"


@dataclass
class GuidePartner:
    name: str
    slug: str
    entries: list[GuideEntry]

    @property
    def anchor(self) -> str:
        return f"partenaire-{self.slug}"


@dataclass
class Guide:
    year: int
    generated_on: date
    sections: list[GuideSection]
    partners: list[GuidePartner]

    @property
    def offer_count(self) -> int:
        return sum(len(section.entries) for section in self.sections)


_STAGE_INTROS = {
    "identified": "S'informer et se poser les bonnes questions avant de se lancer.",
    "contacted": "Rencontrer un conseiller, mesurer son potentiel et ses marchés.",
    "diagnosed": "Après le diagnostic : bâtir son plan d'action et le financer.",
    "accompanied": "Prospecter ses marchés cibles avec l'appui de l'Équipe de l'export.",
    "first_export": "Sécuriser ses premières ventes et les répéter.",
    "regular": "Développer et diversifier des marchés déjà ouverts.",
}


def offers_of_year(year: int):
    """Published offers valid at some time of `year` (no dates = every year)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    offers = Offer.objects.filter(is_active=True).exclude(valid_from__gt=last)
    offers = offers.exclude(valid_until__lt=first)
    return with_audience(offers).order_by("title", "pk")


def guide_for(year: int, *, today: date | None = None) -> Guide:
    from guichet.journeys.models import STAGE_ORDER

    sections = {
        stage.value: GuideSection(
            key=stage.value, title=str(stage.label), intro=_STAGE_INTROS.get(stage.value, "")
        )
        for stage in STAGE_ORDER
    }
    everywhere = GuideSection(
        key=ALL_STAGES_KEY,
        title="À toutes les étapes",
        intro="Des offres ouvertes aux entreprises quel que soit leur avancement à l'export.",
    )
    by_partner: dict[int, GuidePartner] = {}
    order = [stage.value for stage in STAGE_ORDER]
    for offer in offers_of_year(year):
        entry = GuideEntry(
            offer=offer, audience=audience_lines(rules_of(offer)), anchor=f"offre-{offer.slug}"
        )
        first = next((code for code in order if code in (offer.stages or ())), None)
        (sections[first] if first else everywhere).entries.append(entry)
        partner = by_partner.setdefault(
            offer.provider_id, GuidePartner(offer.provider.name, offer.provider.slug, [])
        )
        partner.entries.append(entry)
    return Guide(
        year=year,
        generated_on=today or timezone.localdate(),
        sections=[s for s in [*sections.values(), everywhere] if s.entries],
        partners=sorted(by_partner.values(), key=lambda p: p.name.lower()),
    )


def guide_pdf(guide: Guide) -> bytes:
    """The guide as a PDF. Fonts are the machine's (DejaVu); the HTML names no external
    resource, so WeasyPrint fetches nothing."""
    from weasyprint import HTML

    html = render_to_string("offers/guide_pdf.html", {"guide": guide})
    return HTML(string=html, base_url=None).write_pdf()
