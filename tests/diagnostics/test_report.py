"""The PDF report for the company: a PDF file, in French, with the company, the level, the
radar, the plan, the countries, how scores are computed and what changed since the previous
diagnostic; it fetches nothing from outside. pypdf is not installed, so the text is checked
on the HTML WeasyPrint renders, and the PDF itself on its header and its metadata."""

import re
from datetime import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.core.models import AuditEvent
from guichet.diagnostics import report
from guichet.diagnostics.services.plan import plan_countries_set, plan_generate
from guichet.reference.models import Country
from tests.companies.conftest import make_company
from tests.diagnostics.results_factory import make_diagnostic, make_offer, make_version


@pytest.fixture
def company(reference):
    return make_company("552100554", "Biscuiterie d'Auxonne & Fils", naf=None)


@pytest.fixture
def diagnostic(company, advisor_a, org_b):
    make_offer(org_b, "assurance-prospection", ["finance"], title="Assurance prospection")
    version = make_version(
        notes="Chaque question vaut de 0 à 1 point ; la dimension en fait la moyenne."
    )
    diagnostic = make_diagnostic(
        company,
        version,
        advisor=advisor_a,
        answers={"strategy": "high", "finance": "low", "marketing": "mid"},
        completed_at=timezone.make_aware(datetime(2025, 3, 10, 15, 0)),
    )
    japan = Country.objects.get(iso2="JP")
    plan_countries_set(diagnostic=diagnostic, by=advisor_a, countries=[japan])
    plan_generate(diagnostic=diagnostic)
    return diagnostic


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_report_html_holds_everything_in_french(diagnostic):
    html = report.report_html(diagnostic)
    text = _text(html)
    assert "Diagnostic export Biscuiterie d'Auxonne & Fils" in text
    assert "Date du diagnostic 10 mars 2025" in text
    assert "Conseiller Claire Conseil" in text
    assert "Organisation Région Test" in text
    assert "50 / 100 Exportateur en devenir" in text
    assert "Finances et risques 0" in text
    assert "Axes de progrès (score sous 50) Finances et risques : 0/100" in text
    assert "Renforcer : finances et risques." in text
    assert "Assurance prospection CCI Test Score Finances et risques 0/100" in text
    assert "Pays cibles Japon" in text
    assert "Chaque question vaut de 0 à 1 point" in text
    assert "Exportateur confirmé à partir de 75/100" in text
    # The radar is inline SVG; nothing points outside the document.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "<link" not in html
    assert "Évolution depuis" not in text  # no earlier diagnostic


def test_report_compares_with_the_previous_diagnostic(diagnostic, company, advisor_a):
    make_diagnostic(
        company,
        diagnostic.version,
        advisor=advisor_a,
        answers={"strategy": "mid", "finance": "low", "marketing": "high"},
        completed_at=timezone.make_aware(datetime(2024, 2, 1, 10, 0)),
    )
    text = _text(report.report_html(diagnostic))
    assert "Évolution depuis le diagnostic du 1 février 2024" in text
    assert "Stratégie et engagement de la direction 50 100 +50 En progrès" in text
    assert "Marketing et numérique 100 50 −50 En recul" in text


def _texts(content: bytes, key: bytes) -> list[str]:
    """Text entries of an uncompressed PDF: UTF-16BE hex strings, or literal strings when
    the text is plain ASCII."""
    found = [
        bytes.fromhex(raw.decode()).decode("utf-16-be")
        for raw in re.findall(rb"/" + key + rb" <feff([0-9a-f]+)>", content)
    ]
    found += [
        re.sub(rb"\\(.)", rb"\1", raw).decode("latin-1")
        for raw in re.findall(rb"/" + key + rb" \(((?:[^()\\]|\\.)*)\)", content)
    ]
    return found


def test_report_pdf_is_a_pdf_naming_the_company_and_the_level(diagnostic):
    content = report.report_pdf(diagnostic, uncompressed_pdf=True)
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    # The document information: title, subject (with the level) and author.
    titles = _texts(content, b"Title")
    assert "Diagnostic export — Biscuiterie d'Auxonne & Fils" in titles
    assert _texts(content, b"Subject") == [
        "Rapport du diagnostic export de Biscuiterie d'Auxonne & Fils : Exportateur en "
        "devenir, score global 50/100"
    ]
    assert _texts(content, b"Author") == ["Région Test"]
    # The headings become the PDF's bookmarks.
    for heading in ("Scores par dimension", "Plan d'action", "Comment les scores sont calculés"):
        assert heading in titles
    assert len(re.findall(rb"/Type /Page\b", content)) >= 5


def test_an_external_resource_is_refused():
    with pytest.raises(report.ExternalResourceRefused, match=r"https://example\.org/x\.png"):
        report._refuse_fetch("https://example.org/x.png")


def test_pdf_download(client_for, diagnostic, advisor_a):
    response = client_for(advisor_a).get(reverse("diagnostics:report_pdf", args=[diagnostic.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="diagnostic-export-552100554-2025-03-10.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        object_type="diagnostics.Diagnostic", object_id=str(diagnostic.pk), action="view"
    ).exists()


@pytest.mark.parametrize("who", ["advisor_b", "readonly_a"])
def test_only_the_running_organisation_downloads_the_report(request, client_for, diagnostic, who):
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("diagnostics:report_pdf", args=[diagnostic.pk]))
    assert response.status_code == 403


def test_no_report_before_completion(client_for, company, advisor_a):
    running = make_diagnostic(
        company, make_version(slug="autre"), advisor=advisor_a, status="in_progress"
    )
    response = client_for(advisor_a).get(reverse("diagnostics:report_pdf", args=[running.pk]))
    assert response.status_code == 404
