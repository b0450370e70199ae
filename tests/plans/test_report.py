"""The yearly report (bilan) as PDF: the cover with the plan, year and filters, the key figures
in sentences, per axis and measure what was done and the indicators with target, progress,
status, "dont …" detail and the source of manual values, charts, and the method annex.
pypdf is not installed: the text is checked on the HTML WeasyPrint renders, the PDF itself on
its header, its bookmarks and its metadata."""

import re
from html import unescape

import pytest

from guichet.companies.models import Filiere
from guichet.plans import report
from guichet.plans.computations import Filters
from tests.plans.report_factory import build


@pytest.fixture
def setup(reference, plan, measure, org_a):
    return build(plan, measure, org_a)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _html(setup, year=2025, filters=None):
    data = report.report_data(setup.plan, year, filters or Filters())
    return report.report_html(data)


def test_cover_and_key_figures_in_sentences(setup):
    text = _text(_html(setup))
    assert "Bilan annuel 2025 PAREX 2" in text
    assert "Plan PAREX 2 (2022-2026)" in text
    assert "Année du bilan 2025" in text
    assert "Organisation pilote Région Test" in text
    assert "Filtres Aucun : l'ensemble des partenaires et des entreprises" in text
    assert "Chiffres clés 2025 Sur 3 indicateurs : à surveiller pour 2, sans valeur pour 1." in text
    assert (
        "Entreprises accompagnées : 3 entreprises dont 2 PME, pour une cible de 4 entreprises "
        "(75 %) — à surveiller." in text
    )
    assert (
        "Emplois à l'international financés : 76 emplois, pour une cible de 80 emplois (95 %) "
        "— à surveiller." in text
    )
    # An indicator without a value is not a key figure.
    key_figures = text.split("Chiffres clés 2025")[1].split("Axe 1 –")[0]
    assert "Emplois à l'international financés : 76" in key_figures
    assert "Montant d'aide Innov'export" not in key_figures


def test_each_measure_says_what_was_done_and_shows_its_indicators(setup):
    text = _text(_html(setup))
    assert "Axe 1 – Communication, formation, information" in text
    assert (
        "Mesure 1 – Pré-détection d'entreprises Réalisations 2025 Programme régional concerté : "
        "12 actions collectives menées avec les CCI." in text
    )
    assert (
        "ENT-1 – Entreprises accompagnées 3 entreprises dont 2 PME 4 entreprises 75 % "
        "À surveiller Calcul automatique (Registre des entreprises)" in text
    )
    # The latest manual entry counts, with its source, period, partner and date.
    assert (
        "EMP-1 – Emplois à l'international financés 76 emplois 80 emplois 95 % À surveiller "
        "Tableau de suivi des emplois de la Région ; période : année 2025 ; saisie par Région "
        "Test ; le 15/01/2026" in text
    )
    assert "Axe 2 – Soutien individuel aux entreprises" in text
    assert (
        "Mesure 2 – Innov'export : appui aux entreprises innovantes Réalisations 2025 "
        "Aucun bilan n'a été rédigé pour cette mesure en 2025." in text
    )
    assert "INN-1 – Montant d'aide Innov'export – 330 000 € – Pas de valeur" in text
    assert "Aucune valeur saisie pour l'année" in text


def test_charts_show_realised_and_target_by_year(setup):
    html = _html(setup)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert "ENT-1 – Entreprises accompagnées : réalisé et cible par année" in unescape(html)
    assert "2025 — Réalisé : 3" in unescape(html)
    assert "2025 — Cible : 4" in unescape(html)
    assert "2024 — Réalisé : 1" in unescape(html)
    # Nothing points outside the document.
    assert "https://" not in html
    assert "<link" not in html
    assert "<img" not in html


def test_method_annex_lists_each_computation(setup):
    text = _text(_html(setup))
    assert "Annexe : méthode de calcul" in text
    assert (
        "ENT-1 – Entreprises accompagnées Calcul automatique « Entreprises créées (test F) » : "
        "Entreprises du registre créées dans l'année (date de création SIRENE). Source : "
        "Registre des entreprises Ventilations possibles : Département, Taille d'entreprise" in text
    )
    assert (
        "EMP-1 – Emplois à l'international financés Saisie manuelle : La valeur de l'année" in text
    )
    assert "Pour l'année en cours, elle est comparée à la part de la cible attendue" in text


def test_filters_change_the_figures_and_show_on_the_cover(setup):
    dairy = Filiere.objects.create(name="Agroalimentaire", slug="agroalimentaire")
    dairy.naf_codes.add("10.71C")
    filters = Filters(departement="21", size="PME")
    text = _text(_html(setup, filters=filters))
    assert "Filtres Département : Côte-d'Or (21) Taille d'entreprise : Petite ou moyenne" in text
    assert "ENT-1 – Entreprises accompagnées 2 entreprises dont 2 PME" in text
    # A manual value is the whole plan's: not broken down by a company filter.
    assert "EMP-1 – Emplois à l'international financés non ventilable" in text
    assert "une valeur saisie à la main vaut pour l'ensemble du plan" in text


def test_a_measure_without_indicator_and_a_plan_without_value(plan, measure):
    text = _text(_html(type("S", (), {"plan": plan})(), year=2023))
    assert "Aucun bilan n'a été rédigé pour cette mesure en 2023." in text
    assert "Cette mesure n'a pas encore d'indicateur." in text
    assert "Sur" not in text.split("Chiffres clés 2023")[1][:20]
    assert "Le plan ne compte encore aucun indicateur." in text


def _titles(content: bytes) -> list[str]:
    found = [
        bytes.fromhex(raw.decode()).decode("utf-16-be")
        for raw in re.findall(rb"/Title <feff([0-9a-f]+)>", content)
    ]
    found += [
        re.sub(rb"\\(.)", rb"\1", raw).decode("latin-1")
        for raw in re.findall(rb"/Title \(((?:[^()\\]|\\.)*)\)", content)
    ]
    return found


def test_pdf_with_bookmarks_per_axis_and_measure(setup):
    data = report.report_data(setup.plan, 2025, Filters())
    content = report.report_pdf(data, uncompressed_pdf=True)
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    titles = _titles(content)
    assert "Bilan 2025 — PAREX 2" in titles
    for heading in (
        "Chiffres clés 2025",
        "Axe 1 – Communication, formation, information",
        "Mesure 1 – Pré-détection d'entreprises",
        "Mesure 2 – Innov'export : appui aux entreprises innovantes",
        "Annexe : méthode de calcul",
    ):
        assert heading in titles


def test_build_report_gives_bytes_name_and_type(setup):
    content, name, content_type = report.build_report(setup.plan, 2025, Filters(), "pdf")
    assert content.startswith(b"%PDF")
    assert (name, content_type) == ("bilan-parex-2-2025.pdf", "application/pdf")
    _content, name, content_type = report.build_report(
        setup.plan, 2025, Filters(size="PME"), "xlsx"
    )
    assert name == "bilan-parex-2-2025-filtre.xlsx"
    assert content_type.endswith("spreadsheetml.sheet")
    with pytest.raises(ValueError, match="« pdf » ou « xlsx »"):
        report.build_report(setup.plan, 2025, Filters(), "docx")


def test_an_external_resource_is_refused():
    with pytest.raises(report.ExternalResourceRefused, match=r"https://example\.org/x\.png"):
        report._refuse_fetch("https://example.org/x.png")


def test_a_detail_carries_on_the_figure_or_stands_apart():
    assert report.with_detail("76 emplois", "dont 28 V.I.E.") == "76 emplois dont 28 V.I.E."
    assert report.with_detail("77 contrats", "pour 3 958 000 €") == "77 contrats pour 3 958 000 €"
    assert (
        report.with_detail("24 diagnostics", "22 entreprises différentes")
        == "24 diagnostics, 22 entreprises différentes"
    )
    assert report.with_detail("3 entreprises", "") == "3 entreprises"
    assert report.format_value(330000, "€") == "330\u202f000\u202f€"
    assert report.format_value(62.5, "%") == "62,5\u00a0%"
    assert report.format_value(None, "entreprises") == "–"
