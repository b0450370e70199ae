"""Helpers of the committee, payments, envelopes and results tests (fixed dates: decisions in
2025, against the 2025 envelope)."""

from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guichet.aids.models import BudgetEnvelope, CommitteeSession
from guichet.aids.services.committee import application_decide
from guichet.aids.services.payments import application_agreement_sign
from tests.aids.conftest import make_application

YEAR = 2025
SUBMITTED = timezone.make_aware(datetime(2025, 1, 15, 10, 0))
DECIDED = date(2025, 3, 10)
SIGNED = date(2025, 4, 1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def envelope(scheme, *, year: int = YEAR, amount: str = "500000") -> BudgetEnvelope:
    found, _ = BudgetEnvelope.objects.update_or_create(
        scheme=scheme, year=year, defaults={"amount": Decimal(amount)}
    )
    return found


def session_of(organisation, *, held_on: date = DECIDED, title: str = "Commission permanente"):
    return CommitteeSession.objects.create(
        title=title, held_on=held_on, place="Hôtel de Région, Dijon", organisation=organisation
    )


def proposed(scheme, company, organisation, *, amount="12683", eligible=None, **overrides):
    """A file proposed to committee: instructed, with its eligible and proposed amounts."""
    fields = {
        "submitted_at": SUBMITTED,
        "eligible_costs": Decimal("25366"),
        "eligible_amount": Decimal(eligible or amount),
        "proposed_amount": Decimal(amount),
        "opinion": "favourable",
        "opinion_text": "Premier V.I.E. de l'entreprise, projet solide.",
    }
    fields.update(overrides)
    return make_application(scheme, company, organisation, status="committee", **fields)


def granted(scheme, company, organisation, by, *, amount="12683", signed=True, **overrides):
    """A file approved on DECIDED (and its agreement signed on SIGNED)."""
    application = proposed(scheme, company, organisation, amount=amount, **overrides)
    application = application_decide(
        application=application,
        decision="approved",
        amount=Decimal(amount),
        decided_on=DECIDED,
        by=by,
    )
    if signed:
        application = application_agreement_sign(application=application, signed_on=SIGNED, by=by)
    return application


def pdf_upload(name: str = "factures.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
