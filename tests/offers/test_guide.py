"""The yearly printable guide: public HTML page and PDF, grouped by stage then by partner."""

import html
import re
import zlib
from datetime import date

import pytest
from django.utils import timezone

from guichet.offers.guide import guide_for


@pytest.fixture
def offers(org_a, org_b, offer_factory):
    year = timezone.localdate().year
    offer_factory(
        "Diagnostic export",
        slug="diag",
        stages=["contacted", "diagnosed"],
        contact_email="export@region.example",
    )
    offer_factory(
        "Assurance prospection",
        slug="ap",
        provider=org_b,
        stages=["regular", "accompanied"],
        kind="insurance",
    )
    offer_factory("Webinaires pays", slug="webinaires", provider=org_b, kind="information")
    offer_factory("Ancien salon", slug="ancien", valid_until=date(year - 1, 12, 31))
    offer_factory("Retirée", slug="retiree", is_active=False)
    offer_factory("Salon de l'an prochain", slug="futur", valid_from=date(year + 1, 2, 1))
    return year


def test_guide_groups_by_first_stage_then_by_partner(offers):
    guide = guide_for(offers)
    assert [(s.title, [e.offer.slug for e in s.entries]) for s in guide.sections] == [
        ("Contactée", ["diag"]),
        ("Accompagnée", ["ap"]),
        ("À toutes les étapes", ["webinaires"]),
    ]
    assert [(p.name, [e.offer.slug for e in p.entries]) for p in guide.partners] == [
        ("CCI Test", ["ap", "webinaires"]),
        ("Région Test", ["diag"]),
    ]
    assert guide.offer_count == 3
    assert [e.offer.slug for s in guide_for(offers + 1).sections for e in s.entries] == [
        "diag",
        "ap",
        "futur",
        "webinaires",
    ]


def test_guide_page_is_public(client_for, offers):
    response = client_for(None).get("/offres/guide/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"Programme export {offers}" in page
    assert "Sommaire" in page
    assert f"généré le {timezone.localdate():%d/%m/%Y}" in page
    assert page.index("1. Les offres, étape par étape") < page.index("2. Les offres, partenaire")
    assert "Diagnostic export" in page
    assert "export@region.example" in page
    assert "Ancien salon" not in page
    assert "Retirée" not in page
    assert 'href="#offre-diag"' in page
    past = html.unescape(
        client_for(None).get(f"/offres/guide/?annee={offers - 1}").content.decode()
    )
    assert "Ancien salon" in past
    assert f"Programme export {offers - 1}" in past


def test_guide_page_empty_state(client_for, db):
    page = html.unescape(client_for(None).get("/offres/guide/").content.decode())
    assert "Aucune offre n'est publiée pour" in page


def _pdf_strings(pdf: bytes) -> bytes:
    """Every stream of the PDF, inflated: the outline (bookmarks) and metadata live there."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(out)


def _in_pdf(text: str, blob: bytes) -> bool:
    """PDF strings are (literal) when ASCII, <FEFF…> UTF-16 hex otherwise."""
    literal = f"({text})".encode("latin-1", "ignore")
    utf16 = ("feff" + text.encode("utf-16-be").hex()).encode()
    return literal in blob or utf16 in blob.lower()


def test_guide_pdf_is_public_and_bookmarks_every_offer(client_for, offers):
    response = client_for(None).get("/offres/guide.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"programme-export-{offers}.pdf" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    blob = _pdf_strings(pdf)
    for title in (
        "Diagnostic export",
        "Assurance prospection",
        "Webinaires pays",
        f"Programme export {offers}",
        "Contactée",
        "CCI Test",
    ):
        assert _in_pdf(title, blob), title
    assert not _in_pdf("Ancien salon", blob)


def test_guide_pdf_html_names_no_external_resource(offers):
    from django.template.loader import render_to_string

    source = render_to_string("offers/guide_pdf.html", {"guide": guide_for(offers)})
    assert "http://" not in source
    assert "https://" not in source
    assert "<link" not in source
    assert "@import" not in source
    assert "DejaVu Sans" in source
