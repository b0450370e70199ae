"""Eligibility checks, rule by rule: each one passed, failed, or to check by hand when the
platform lacks the data (never a silent pass); rules the scheme does not set yield no check."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.aids.eligibility import FAILED, MANUAL, PASSED, add_months, checks_for, summary
from guichet.aids.models import (
    ApplicationDocument,
    BudgetEnvelope,
    DeclaredAid,
    RequiredDocument,
)
from guichet.companies.models import ExportFact, Filiere
from guichet.stateaid.models import StateAidGrant
from tests.aids.conftest import make_application, make_scheme
from tests.companies.conftest import make_company

TODAY = date(2026, 3, 10)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def _check(application, code, **kwargs):
    found = {c.code: c for c in checks_for(application, today=TODAY, **kwargs)}
    return found.get(code)


@pytest.fixture
def app(scheme, company, org_a):
    return make_application(scheme, company, org_a, status="submitted", submitted_at=_at(TODAY))


# --- company --------------------------------------------------------------------------------


def test_size_passed_failed_and_unknown(app, scheme, org_a, reference):
    check = _check(app, "size")
    assert (check.label, check.outcome) == ("Taille : TPE ou PME", PASSED)
    assert "Petite ou moyenne entreprise" in check.detail

    big = make_company("732829320", "Grande Maison", size_category="ETI")
    check = _check(make_application(scheme, big, org_a), "size")
    assert check.outcome == FAILED
    assert "intermédiaire" in check.detail

    unknown = make_company("404833048", "Inconnue", size_category="")
    check = _check(make_application(scheme, unknown, org_a), "size")
    assert (check.outcome, check.detail) == (
        MANUAL,
        "Catégorie d'entreprise inconnue au répertoire.",
    )


def test_size_is_not_checked_when_the_scheme_takes_any_size(app, scheme):
    scheme.sizes = []
    scheme.save()
    assert _check(app, "size") is None


def test_filiere(app, scheme, company, org_a):
    agri = Filiere.objects.create(name="Agroalimentaire", slug="agro")
    agri.naf_codes.add("10")
    wood = Filiere.objects.create(name="Bois", slug="bois")
    wood.naf_codes.add("16")
    scheme.filieres.add(agri)
    check = _check(app, "filiere")
    assert (check.label, check.outcome) == ("Filière : Agroalimentaire", PASSED)

    scheme.filieres.set([wood])
    check = _check(app, "filiere")
    assert check.outcome == FAILED
    assert check.detail == "Filières de l'entreprise : Agroalimentaire."

    no_naf = make_company("404833048", "Sans activité", naf=None)
    assert _check(make_application(scheme, no_naf, org_a), "filiere").outcome == MANUAL


def test_export_status(app, scheme, company):
    scheme.export_statuses = ["never", "new"]
    scheme.save()
    check = _check(app, "export_status")
    assert check.label == "Statut export : N'exporte pas ou Primo-exportateur"
    assert (check.outcome, check.detail) == (MANUAL, "Statut export non renseigné.")
    company.export_status = "new"
    company.save()
    app.refresh_from_db()
    assert _check(app, "export_status").outcome == PASSED
    company.export_status = "regular"
    company.save()
    app.refresh_from_db()
    check = _check(app, "export_status")
    assert (check.outcome, check.detail) == (FAILED, "Statut : Exportateur régulier.")


def test_company_age_at_filing(app, scheme, company):
    scheme.min_age_years, scheme.max_age_years = 2, 10
    scheme.save()
    check = _check(app, "age")
    assert check.label == "Ancienneté de l'entreprise : entre 2 et 10 ans"
    assert check.outcome == MANUAL
    company.creation_date = date(2024, 3, 11)  # 1 year and 364 days on 10/03/2026
    company.save()
    app.refresh_from_db()
    check = _check(app, "age")
    assert (check.outcome, check.detail) == (FAILED, "Créée le 11/03/2024 : 1 an au 10/03/2026.")
    company.creation_date = date(2024, 3, 10)
    company.save()
    app.refresh_from_db()
    assert _check(app, "age").outcome == PASSED


def test_export_share_from_the_application_or_the_profile(app, scheme, company, advisor_a):
    scheme.max_export_share = Decimal("20")
    scheme.save()
    check = _check(app, "export_share")
    assert check.label == "Part du chiffre d'affaires à l'export : au plus 20 %"
    assert check.outcome == MANUAL
    ExportFact.objects.create(
        company=company,
        attribute="export_share",
        value=35,
        observed_on=date(2025, 12, 31),
        source="advisor",
        recorded_by=advisor_a,
    )
    check = _check(app, "export_share")
    assert (check.outcome, check.detail) == (FAILED, "35 % (profil export au 31/12/2025).")
    app.export_share = Decimal("12.5")
    assert _check(app, "export_share").detail == "12,5 % (déclarée dans la demande)."
    assert _check(app, "export_share").outcome == PASSED


def test_company_ceased(app, company):
    assert _check(app, "active").outcome == PASSED
    company.is_active, company.ceased_on = False, date(2025, 6, 30)
    company.save()
    app.refresh_from_db()
    check = _check(app, "active")
    assert (check.outcome, check.detail) == (FAILED, "Cessée le 30/06/2025.")


# --- project --------------------------------------------------------------------------------


def test_deadline(app, scheme, company, org_a):
    scheme.opens_on, scheme.closes_on = date(2026, 1, 1), date(2026, 3, 9)
    scheme.save()
    check = _check(app, "deadline")
    assert check.label == "Dépôt entre le 01/01/2026 et le 09/03/2026"
    assert (check.outcome, check.detail) == (FAILED, "Déposée le 10/03/2026.")
    scheme.closes_on = date(2026, 3, 10)
    scheme.save()
    assert _check(app, "deadline").outcome == PASSED
    draft = make_application(scheme, company, org_a)
    assert _check(draft, "deadline").outcome == MANUAL


def test_hiring_within_the_allowed_months(app, scheme):
    scheme.max_months_since_hiring = 6
    scheme.save()
    assert _check(app, "hiring").outcome == MANUAL
    app.hired_on = date(2025, 9, 10)
    check = _check(app, "hiring")
    assert (check.label, check.outcome) == ("Embauche au plus 6 mois avant la demande", PASSED)
    app.hired_on = date(2025, 9, 9)
    check = _check(app, "hiring")
    assert (check.outcome, check.detail) == (
        FAILED,
        "Embauche le 09/09/2025, demande le 10/03/2026.",
    )


def test_programme_duration(app, scheme):
    scheme.max_duration_months = 24
    scheme.save()
    assert _check(app, "duration").outcome == MANUAL
    app.project_start, app.project_end = date(2026, 4, 1), date(2028, 3, 31)
    assert _check(app, "duration").outcome == PASSED
    app.project_end = date(2028, 4, 1)
    check = _check(app, "duration")
    assert check.outcome == FAILED
    assert "dépasse le 31/03/2028" in check.detail
    app.project_end = date(2026, 3, 1)
    assert "La fin précède le début" in _check(app, "duration").detail


def test_minimum_eligible_costs(app, scheme):
    scheme.min_eligible_costs = Decimal("40000")
    scheme.save()
    check = _check(app, "min_costs")
    assert check.label == "Dépenses éligibles d'au moins 40\u202f000\u202f€"
    assert (check.outcome, check.detail) == (FAILED, "Dépenses éligibles : 25\u202f366\u202f€.")
    assert _check(app, "min_costs", eligible_costs=Decimal("40000")).outcome == PASSED


def test_mandatory_documents(app, scheme):
    check = _check(app, "documents")
    assert check.outcome == FAILED
    assert check.detail == "Manquent : Extrait Kbis, Devis Business France."
    for required in RequiredDocument.objects.filter(scheme=scheme):
        ApplicationDocument.objects.create(
            application=app,
            required=required,
            label=required.label,
            file=ContentFile(b"%PDF-1.4", name="piece.pdf"),
            original_name="piece.pdf",
            content_type="application/pdf",
            size=8,
        )
    assert _check(app, "documents").outcome == PASSED


# --- money ----------------------------------------------------------------------------------


def test_number_of_aids_already_granted(app, scheme, company, org_a):
    for _ in range(2):
        make_application(
            scheme, company, org_a, status="paid", granted_amount=Decimal("1000"), decided_on=TODAY
        )
    make_application(scheme, company, org_a, status="rejected")
    check = _check(app, "aids_count")
    assert (check.label, check.outcome, check.detail) == (
        "Au plus 3 aides de ce dispositif par entreprise",
        PASSED,
        "2 aides déjà accordées.",
    )
    make_application(
        scheme, company, org_a, status="approved", granted_amount=Decimal("1"), decided_on=TODAY
    )
    assert _check(app, "aids_count").outcome == FAILED


def test_ceiling_per_company(app, scheme, company, org_a):
    scheme.ceiling_per_company = Decimal("30000")
    scheme.save()
    make_application(
        scheme, company, org_a, status="signed", granted_amount=Decimal("20000"), decided_on=TODAY
    )
    check = _check(app, "company_ceiling")
    assert check.outcome == PASSED
    assert check.detail == "20\u202f000\u202f€ déjà accordés, reste 10\u202f000\u202f€."
    make_application(
        scheme, company, org_a, status="signed", granted_amount=Decimal("10000"), decided_on=TODAY
    )
    assert _check(app, "company_ceiling").outcome == FAILED


def test_envelope(app, scheme, company, org_a):
    scheme.envelopes.all().delete()
    check = _check(app, "envelope")
    assert (check.outcome, check.detail) == (MANUAL, "Aucune enveloppe budgétaire pour 2026.")
    BudgetEnvelope.objects.create(scheme=scheme, year=2026, amount=Decimal("5000"))
    assert _check(app, "envelope").outcome == PASSED
    make_application(
        scheme, company, org_a, status="approved", granted_amount=Decimal("5000"), decided_on=TODAY
    )
    check = _check(app, "envelope")
    assert (check.outcome, check.detail) == (FAILED, "Reste 0\u202f€.")


def _ledger(company, amount, *, regulation="de_minimis", on=date(2025, 1, 1), **extra):
    return StateAidGrant.objects.create(
        company=company,
        granted_on=on,
        amount=Decimal(amount),
        regulation=regulation,
        granting_body="Région",
        source="platform_aid",
        description="Aide",
        **extra,
    )


def test_de_minimis_headroom(app, company):
    _ledger(company, "200000")
    check = _check(app, "state_aid")
    assert check.outcome == PASSED
    assert "reste 100\u202f000\u202f€" in check.detail
    _ledger(company, "100000")
    check = _check(app, "state_aid")
    assert check.outcome == FAILED
    assert "Déjà reçu 300\u202f000\u202f€" in check.detail
    # This aid's own ledger line does not count against itself.
    _ledger(company, "50000", source_ref=f"aids.application:{app.pk}")
    assert "Déjà reçu 300\u202f000\u202f€" in _check(app, "state_aid").detail


def test_not_state_aid_passes_with_its_justification(scheme, company, org_a):
    scheme.regime = "not_aid"
    scheme.not_aid_justification = "Prestation au prix du marché."
    scheme.save()
    app = make_application(scheme, company, org_a)
    check = _check(app, "state_aid")
    assert (check.label, check.outcome, check.detail) == (
        "Régime : pas une aide d'État",
        PASSED,
        "Prestation au prix du marché.",
    )
    assert _check(app, "not_allowed_costs") is None
    scheme.not_aid_justification = ""
    scheme.save()
    assert _check(app, "state_aid").outcome == MANUAL


@pytest.fixture
def fairs(org_a):
    return make_scheme(
        org_a,
        slug="salons",
        name="Salons à l'étranger",
        regime="gber_19",
        ceiling_per_aid=None,
        max_aids_per_company=None,
    )


def test_gber_cumulation_with_the_figures(fairs, company, org_a):
    app = make_application(
        fairs,
        company,
        org_a,
        status="instruction",
        submitted_at=_at(TODAY),
        proposed_amount=Decimal("10000"),
    )
    # 50 % × 25 366 € = 12 683 €; 2 000 € already received on the same costs (de minimis).
    _ledger(company, "2000", cost_category="indemnite")
    _ledger(company, "9000", cost_category="autre")  # other costs: not counted
    check = _check(app, "gber_cumulation")
    assert check.outcome == PASSED
    app.proposed_amount = Decimal("10684")
    check = _check(app, "gber_cumulation")
    assert check.outcome == FAILED
    assert check.detail == (
        "Aides déjà reçues sur les mêmes coûts 2\u202f000\u202f€ + cette aide 10\u202f684\u202f€ "
        "= 12\u202f684\u202f€ pour une limite de 50 % × 25\u202f366\u202f€ = 12\u202f683\u202f€."
    )
    assert _check(app, "state_aid").outcome == PASSED  # no three-year ceiling under GBER


def test_gber_incentive_effect(fairs, company, org_a):
    app = make_application(fairs, company, org_a, submitted_at=_at(TODAY))
    assert _check(app, "incentive").outcome == MANUAL
    app.project_start = date(2026, 3, 9)
    assert _check(app, "incentive").outcome == FAILED
    app.project_start = TODAY
    assert _check(app, "incentive").outcome == PASSED


def test_de_minimis_declaration(app):
    assert _check(app, "declaration").outcome == MANUAL
    app.declared_no_other_aid = True
    assert _check(app, "declaration").outcome == PASSED
    app.declared_no_other_aid = False
    DeclaredAid.objects.create(
        application=app,
        granting_body="Département",
        granted_on=date(2024, 5, 1),
        amount=Decimal("3000"),
        regulation="de_minimis",
    )
    assert _check(app, "declaration").outcome == PASSED


def test_costs_not_linked_to_exported_quantities_are_checked_by_hand(app):
    check = _check(app, "not_allowed_costs")
    assert check.outcome == MANUAL
    assert check.label.startswith("Dépenses non liées aux quantités exportées")


def test_summary_counts_snapshot_and_checks(app):
    checks = checks_for(app, today=TODAY)
    counts = summary(checks)
    assert counts == summary([c.as_dict() for c in checks])
    assert sum(counts.values()) == len(checks)


def test_add_months_keeps_the_end_of_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_gber_cumulation_reads_ledger_lines_named_by_label(fairs, company, org_a):
    app = make_application(fairs, company, org_a, proposed_amount=Decimal("10000"))
    _ledger(
        company, "3000", cost_category="Frais de gestion Business France, Indemnités du volontaire"
    )
    check = _check(app, "gber_cumulation")
    assert check.outcome == FAILED
    assert "Aides déjà reçues sur les mêmes coûts 3\u202f000\u202f€" in check.detail
