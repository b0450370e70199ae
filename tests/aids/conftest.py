"""Shared fixtures of the aids tests: a scheme of the Région (org_a) like the V.I.E. support of
DOMAIN.md, a company, an instructor of the Région."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.aids.models import (
    AidScheme,
    Application,
    BudgetEnvelope,
    CostCategory,
    PlannedExpense,
    RequiredDocument,
)
from tests.companies.conftest import make_company
from tests.conftest import make_user


def make_scheme(provider, *, slug="soutien-vie", **overrides) -> AidScheme:
    fields = {
        "name": "Soutien au V.I.E.",
        "purpose": "Prendre en charge une partie du coût d'une première mission V.I.E.",
        "rate": Decimal("0.50"),
        "extension_rate": Decimal("0.25"),
        "ceiling_per_aid": Decimal("25000"),
        "max_aids_per_company": 3,
        "regime": "de_minimis",
        "sizes": ["TPE", "PME"],
    }
    fields.update(overrides)
    scheme = AidScheme.objects.create(provider=provider, slug=slug, **fields)
    CostCategory.objects.create(
        scheme=scheme, code="indemnite", label="Indemnités du volontaire", order=1
    )
    CostCategory.objects.create(
        scheme=scheme, code="frais", label="Frais de gestion Business France", order=2
    )
    RequiredDocument.objects.create(scheme=scheme, code="kbis", label="Extrait Kbis", order=1)
    RequiredDocument.objects.create(
        scheme=scheme, code="devis", label="Devis Business France", order=2
    )
    BudgetEnvelope.objects.create(scheme=scheme, year=date.today().year, amount=Decimal("500000"))
    return scheme


def make_application(scheme, company, organisation, *, status="draft", **overrides) -> Application:
    fields = {
        "title": "V.I.E. à Padoue",
        "contact_name": "Claire Martin",
        "contact_email": "claire.martin@example.fr",
        "filed_by": "company",
        "requested_amount": Decimal("12683"),
    }
    fields.update(overrides)
    application = Application.objects.create(
        scheme=scheme, company=company, organisation=organisation, status=status, **fields
    )
    PlannedExpense.objects.create(
        application=application,
        category=scheme.cost_categories.get(code="indemnite"),
        description="Indemnités sur 12 mois",
        amount=Decimal("25366"),
    )
    return application


@pytest.fixture
def scheme(org_a):
    return make_scheme(org_a)


@pytest.fixture
def company(reference):
    return make_company("552100554", "Fromagerie de Bourgogne")


@pytest.fixture
def instructor_a(org_a):
    return make_user("instructeur@region.fr", org_a, ["instructor"])


# --- intake (helper B): uploads and a draft ready to submit ------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# The registry company of the public form tests: a SIRET whose check digit is right.
VALID_SIRET = "55210055400013"


def pdf_upload(name: str = "devis.pdf", content: bytes = PDF_BYTES, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def make_ready_draft(scheme, company, organisation, **overrides) -> Application:
    """A draft with an expense, the mandatory documents and the declaration: it may be
    submitted."""
    from guichet.aids.services.documents import application_document_add

    fields = {"requested_amount": Decimal("12000"), "declared_no_other_aid": True}
    fields.update(overrides)
    application = make_application(scheme, company, organisation, **fields)
    for required in scheme.required_documents.filter(mandatory=True):
        application_document_add(
            application=application,
            upload=pdf_upload(f"{required.code}.pdf"),
            required=required,
        )
    return application


@pytest.fixture
def registry_company(reference):
    return make_company("552100554", "Fromagerie de Bourgogne", nic="00013")
