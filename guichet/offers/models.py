"""The catalogue of offers (capability 6): what every partner offers companies that export,
with its audience and eligibility rules as data (guichet.offers.eligibility evaluates them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited


class OfferKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    TRAINING = "training", _("Formation")
    CONSULTING = "consulting", _("Conseil et prestation")
    FINANCING = "financing", _("Financement")
    INSURANCE = "insurance", _("Assurance et garantie")
    AID = "aid", _("Aide publique")
    COLLECTIVE = "collective", _("Action collective")
    MENTORING = "mentoring", _("Parrainage et mentorat")


@audited()
class Offer(models.Model):
    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(_("identifiant court"), max_length=80, unique=True)
    provider = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisme"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    kind = models.CharField(_("type d'offre"), max_length=12, choices=OfferKind.choices)
    summary = models.CharField(_("en une phrase"), max_length=300)
    description = models.TextField(_("ce que l'offre apporte"), blank=True)
    # Audience, as data: an empty list means "no restriction".
    stages = models.JSONField(_("étapes du parcours visées"), default=list, blank=True)
    sizes = models.JSONField(
        _("tailles d'entreprise (TPE, PME, ETI, GE)"), default=list, blank=True
    )
    export_statuses = models.JSONField(_("statuts export"), default=list, blank=True)
    filieres = models.ManyToManyField(
        "companies.Filiere", verbose_name=_("filières"), blank=True, related_name="offers"
    )
    regions = models.ManyToManyField(
        "reference.Region", verbose_name=_("régions"), blank=True, related_name="+"
    )
    min_employees = models.PositiveIntegerField(_("effectif minimum"), null=True, blank=True)
    max_employees = models.PositiveIntegerField(_("effectif maximum"), null=True, blank=True)
    min_age_years = models.PositiveSmallIntegerField(
        _("âge minimum de l'entreprise (ans)"), null=True, blank=True
    )
    max_age_years = models.PositiveSmallIntegerField(
        _("âge maximum de l'entreprise (ans)"), null=True, blank=True
    )
    # Diagnostic dimensions (codes) the offer helps with: the action plan recommends it when
    # the company scores low there.
    dimensions = models.JSONField(_("dimensions du diagnostic traitées"), default=list, blank=True)
    cost_to_company = models.CharField(_("coût pour l'entreprise"), max_length=200, blank=True)
    public_funding = models.CharField(_("financement public"), max_length=200, blank=True)
    link = models.URLField(_("lien"), blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    valid_from = models.DateField(_("valable du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    is_active = models.BooleanField(_("publiée"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("offre")
        verbose_name_plural = _("offres")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
