"""Figures of the registry shown on the home page."""

from django.conf import settings
from django.db.models import Exists, OuterRef

from guichet.companies.models import Company, Establishment, ImportRun


def registry_figures() -> dict:
    in_region = Establishment.objects.filter(
        company=OuterRef("pk"), region_id=settings.GUICHET_REGION, is_active=True
    )
    last = (
        ImportRun.objects.filter(status=ImportRun.Status.DONE, wet_run=True)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return {
        "companies": Company.objects.filter(Exists(in_region), is_active=True).count(),
        "region_name": settings.GUICHET_REGION_NAME,
        "last_import": last,
    }
