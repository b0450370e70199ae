"""The state-aid ledger (capability 8): every aid a company receives, whatever its source,
with the regulation it falls under, so the ceilings can be checked before any new grant.

Rules (DOMAIN.md "State aid"): de minimis Regulation (EU) 2023/2831 allows €300,000 per single
undertaking over any rolling period of three years counted from the date each aid is granted
(the date the company acquires the right to it, not the payment date); agriculture (2024/3118)
€50,000; services of general economic interest (2023/2832) €750,000. GBER aids (651/2014,
art. 18 consultancy, art. 19 fairs) have no three-year ceiling but an intensity cap per
eligible cost, checked at instruction. Ceilings apply to the single undertaking (the group
of linked companies), not to one SIREN.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited


class Regulation(models.TextChoices):
    DE_MINIMIS = "de_minimis", _("De minimis général — règlement (UE) 2023/2831")
    DE_MINIMIS_AGRI = "de_minimis_agri", _("De minimis agricole — règlement (UE) 2024/3118")
    DE_MINIMIS_SGEI = "de_minimis_sieg", _("De minimis SIEG — règlement (UE) 2023/2832")
    GBER_18 = "gber_18", _("RGEC art. 18 — conseil aux PME (règlement (UE) 651/2014)")
    GBER_19 = "gber_19", _("RGEC art. 19 — participation des PME aux foires")
    OTHER = "other", _("Autre régime")


# Three-year ceilings per single undertaking, in euros (None: no three-year ceiling).
CEILINGS: dict[str, Decimal | None] = {
    Regulation.DE_MINIMIS: Decimal("300000"),
    Regulation.DE_MINIMIS_AGRI: Decimal("50000"),
    Regulation.DE_MINIMIS_SGEI: Decimal("750000"),
    Regulation.GBER_18: None,
    Regulation.GBER_19: None,
    Regulation.OTHER: None,
}

# GBER maximum aid intensity (share of the eligible costs) per article.
GBER_INTENSITY: dict[str, Decimal] = {
    Regulation.GBER_18: Decimal("0.50"),
    Regulation.GBER_19: Decimal("0.50"),
}

DE_MINIMIS_REGULATIONS = (
    Regulation.DE_MINIMIS,
    Regulation.DE_MINIMIS_AGRI,
    Regulation.DE_MINIMIS_SGEI,
)


class GrantSource(models.TextChoices):
    PLATFORM_AID = "platform_aid", _("Aide individuelle instruite sur la plateforme")
    COLLECTIVE = "collective", _("Participation subventionnée à une action collective")
    FREE_SERVICE = "free_service", _("Prestation gratuite ou à prix réduit (valeur de marché)")
    DECLARED = "declared", _("Aide reçue ailleurs, déclarée par l'entreprise")


@audited()
class UndertakingGroup(models.Model):
    """A single undertaking: companies linked by control (voting rights, board, dominant
    influence, shareholder agreement). Ceilings apply to the whole group."""

    name = models.CharField(_("nom du groupe"), max_length=200)
    reason = models.TextField(_("motif du rattachement"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("entreprise unique")
        verbose_name_plural = _("entreprises uniques")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


@audited()
class UndertakingMembership(models.Model):
    """A company belongs to at most one single undertaking."""

    group = models.ForeignKey(
        UndertakingGroup,
        verbose_name=_("entreprise unique"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    company = models.OneToOneField(
        "companies.Company",
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        related_name="undertaking_membership",
    )
    reason = models.TextField(_("motif du lien"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lié par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("lié le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rattachement à une entreprise unique")
        verbose_name_plural = _("rattachements à une entreprise unique")
        ordering = ["group", "company__name", "pk"]

    def __str__(self) -> str:
        return f"{self.company} ∈ {self.group}"


@audited()
class StateAidGrant(models.Model):
    """One line of the ledger. A cancelled grant stays in the ledger with `cancelled_at` set
    (and no longer counts): the history of what was granted and withdrawn is kept."""

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="state_aid_grants",
    )
    granted_on = models.DateField(_("date d'octroi (droit acquis)"))
    amount = models.DecimalField(
        _("montant en équivalent-subvention brut (€)"), max_digits=12, decimal_places=2
    )
    regulation = models.CharField(_("règlement"), max_length=20, choices=Regulation.choices)
    granting_body = models.CharField(_("organisme qui accorde l'aide"), max_length=200)
    source = models.CharField(_("origine"), max_length=20, choices=GrantSource.choices)
    # Eligible costs the aid covers (GBER cumulation) and a free description.
    eligible_costs = models.DecimalField(
        _("coûts admissibles couverts (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    cost_category = models.CharField(_("catégorie de coûts"), max_length=60, blank=True)
    description = models.CharField(_("objet de l'aide"), max_length=300)
    # Where the line comes from inside the platform ("aids.application:12").
    source_ref = models.CharField(_("référence d'origine"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_reason = models.CharField(_("motif d'annulation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("aide d'État reçue")
        verbose_name_plural = _("registre des aides d'État")
        ordering = ["-granted_on", "-pk"]
        indexes = [
            models.Index(fields=["company", "granted_on"]),
            models.Index(fields=["regulation", "granted_on"]),
            models.Index(fields=["source_ref"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="stateaid_grant_amount_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.amount} € ({self.get_regulation_display()})"
