"""Results of a paid aid, reported a year after the balance (jobs created, export revenue,
markets opened); reporting them closes the file. They feed the plan's indicators."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.aids.models import Application
from guichet.aids.models import ApplicationStatus as S
from guichet.aids.services.states import application_move
from guichet.core.money import euros


def _validated(jobs_created, export_revenue) -> tuple[int, Decimal]:
    errors: dict[str, list[str]] = {}
    try:
        jobs = int(jobs_created)
        if jobs < 0 or Decimal(str(jobs_created)) != jobs:
            raise ValueError
    except (InvalidOperation, TypeError, ValueError):
        errors["jobs_created"] = ["Indiquez le nombre d'emplois créés (0 ou plus)."]
        jobs = 0
    try:
        revenue = Decimal(export_revenue)
        if not revenue.is_finite() or revenue < 0:
            raise ValueError
    except (InvalidOperation, TypeError, ValueError):
        errors["export_revenue"] = ["Indiquez le chiffre d'affaires export (0 € ou plus)."]
        revenue = Decimal("0")
    if errors:
        raise ValidationError(errors)
    return jobs, revenue.quantize(Decimal("0.01"))


def application_results_report(
    *,
    application: Application,
    jobs_created: int,
    export_revenue,
    markets_opened=(),
    comment: str = "",
    by,
) -> Application:
    """Record the results of a paid aid and close its file."""
    jobs, revenue = _validated(jobs_created, export_revenue)
    markets = list(markets_opened or ())
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("scheme", "company", "organisation")
            .get(pk=application.pk)
        )
        if locked.status != S.PAID:
            raise ValidationError(
                {
                    "jobs_created": [
                        f"Le dossier est « {locked.get_status_display()} » : les résultats se "
                        "déclarent une fois le solde versé."
                    ]
                }
            )
        locked.jobs_created = jobs
        locked.export_revenue = revenue
        locked.results_comment = (comment or "").strip()
        locked.closed_at = timezone.now()
        locked.save(
            update_fields=[
                "jobs_created",
                "export_revenue",
                "results_comment",
                "closed_at",
                "updated_at",
            ]
        )
        locked.markets_opened.set(markets)
        names = ", ".join(sorted(str(m) for m in markets)) or "aucun"
        application_move(
            application=locked,
            to=S.CLOSED,
            by=by,
            title="Résultats déclarés, dossier clôturé",
            text=(
                f"{jobs} emploi{'s' if jobs > 1 else ''} créé{'s' if jobs > 1 else ''}, "
                f"{euros(revenue)} de chiffre d'affaires export, marchés ouverts : {names}."
            ),
        )
    return locked
