"""Individual aids (capability 8, PAREX 2 measures 10 and 11): schemes defined as data, the
applications companies file, their instruction, committee decisions, agreements, payments and
reported results. Granted aids go to the state-aid ledger (guichet.stateaid).

States of an application (ApplicationStatus), in order:
draft → submitted → incomplete ⇄ submitted → instruction → committee → approved | rejected,
withdrawn from any state before the agreement; approved → signed (agreement) → paying
(advance paid) → paid (balance paid, results awaited) → closed (results reported).
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.aids.storage import document_path, private_storage
from guichet.core.audit import audited
from guichet.core.references import yearly_reference
from guichet.stateaid.models import Regulation


def new_application_reference() -> str:
    return yearly_reference("AI")


class SchemeRegime(models.TextChoices):
    """The legal regime of a scheme: a state-aid regulation, or not state aid at all."""

    DE_MINIMIS = Regulation.DE_MINIMIS.value, Regulation.DE_MINIMIS.label
    DE_MINIMIS_AGRI = Regulation.DE_MINIMIS_AGRI.value, Regulation.DE_MINIMIS_AGRI.label
    DE_MINIMIS_SGEI = Regulation.DE_MINIMIS_SGEI.value, Regulation.DE_MINIMIS_SGEI.label
    GBER_18 = Regulation.GBER_18.value, Regulation.GBER_18.label
    GBER_19 = Regulation.GBER_19.value, Regulation.GBER_19.label
    NOT_AID = "not_aid", _("Pas une aide d'État (justification requise)")


@audited()
class AidScheme(models.Model):
    name = models.CharField(_("nom du dispositif"), max_length=200)
    slug = models.SlugField(_("identifiant court"), max_length=80, unique=True)
    provider = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("financeur"),
        on_delete=models.PROTECT,
        related_name="aid_schemes",
    )
    purpose = models.TextField(_("objet"))
    # Beneficiaries, as data: an empty list means "no restriction".
    sizes = models.JSONField(
        _("tailles d'entreprise (TPE, PME, ETI, GE)"), default=list, blank=True
    )
    export_statuses = models.JSONField(_("statuts export"), default=list, blank=True)
    filieres = models.ManyToManyField(
        "companies.Filiere", verbose_name=_("filières"), blank=True, related_name="aid_schemes"
    )
    min_age_years = models.PositiveSmallIntegerField(
        _("âge minimum de l'entreprise (ans)"), null=True, blank=True
    )
    max_age_years = models.PositiveSmallIntegerField(
        _("âge maximum de l'entreprise (ans)"), null=True, blank=True
    )
    max_export_share = models.DecimalField(
        _("part du chiffre d'affaires à l'export maximale (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # Amounts.
    rate = models.DecimalField(_("taux d'aide (0 à 1)"), max_digits=5, decimal_places=4)
    extension_rate = models.DecimalField(
        _("taux pour un renouvellement (0 à 1)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )
    min_eligible_costs = models.DecimalField(
        _("dépenses éligibles minimales (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    ceiling_per_aid = models.DecimalField(
        _("plafond par aide (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    ceiling_per_company = models.DecimalField(
        _("plafond cumulé par entreprise (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    max_aids_per_company = models.PositiveSmallIntegerField(
        _("nombre maximal d'aides par entreprise"), null=True, blank=True
    )
    max_duration_months = models.PositiveSmallIntegerField(
        _("durée maximale du programme (mois)"), null=True, blank=True
    )
    max_months_since_hiring = models.PositiveSmallIntegerField(
        _("délai maximal entre l'embauche et la demande (mois)"), null=True, blank=True
    )
    regime = models.CharField(_("régime juridique"), max_length=20, choices=SchemeRegime.choices)
    not_aid_justification = models.TextField(_("pourquoi ce n'est pas une aide d'État"), blank=True)
    opens_on = models.DateField(_("dépôt possible à partir du"), null=True, blank=True)
    closes_on = models.DateField(_("date limite de dépôt"), null=True, blank=True)
    is_active = models.BooleanField(_("ouvert"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("dispositif d'aide")
        verbose_name_plural = _("dispositifs d'aide")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=1), name="aids_scheme_rate_0_1"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_state_aid(self) -> bool:
        return self.regime != SchemeRegime.NOT_AID


@audited()
class CostCategory(models.Model):
    scheme = models.ForeignKey(
        AidScheme,
        verbose_name=_("dispositif"),
        on_delete=models.CASCADE,
        related_name="cost_categories",
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("catégorie de dépenses éligibles"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie de dépenses")
        verbose_name_plural = _("catégories de dépenses")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="aids_costcategory_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


@audited()
class RequiredDocument(models.Model):
    scheme = models.ForeignKey(
        AidScheme,
        verbose_name=_("dispositif"),
        on_delete=models.CASCADE,
        related_name="required_documents",
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("pièce à fournir"), max_length=200)
    mandatory = models.BooleanField(_("obligatoire"), default=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("pièce à fournir")
        verbose_name_plural = _("pièces à fournir")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="aids_requireddoc_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


@audited()
class BudgetEnvelope(models.Model):
    """A scheme's yearly budget. Commitments are the amounts decided in that year; payments
    are what was paid on them (guichet.aids.selectors.envelope_accounts)."""

    scheme = models.ForeignKey(
        AidScheme, verbose_name=_("dispositif"), on_delete=models.CASCADE, related_name="envelopes"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("enveloppe (€)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("enveloppe budgétaire")
        verbose_name_plural = _("enveloppes budgétaires")
        ordering = ["scheme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="aids_envelope_unique_year"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="aids_envelope_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.year}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    INCOMPLETE = "incomplete", _("Incomplète")
    INSTRUCTION = "instruction", _("En instruction")
    COMMITTEE = "committee", _("Proposée en commission")
    APPROVED = "approved", _("Accordée")
    REJECTED = "rejected", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")
    SIGNED = "signed", _("Convention signée")
    PAYING = "paying", _("En paiement")
    PAID = "paid", _("Soldée — résultats attendus")
    CLOSED = "closed", _("Clôturée")


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Favorable avec réserves")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class FiledBy(models.TextChoices):
    COMPANY = "company", _("L'entreprise")
    ADVISOR = "advisor", _("Un conseiller pour l'entreprise")


@audited(masked=("access_nonce",))
class Application(models.Model):
    reference = models.CharField(
        _("référence"),
        max_length=12,
        unique=True,
        default=new_application_reference,
        editable=False,
    )
    scheme = models.ForeignKey(
        AidScheme,
        verbose_name=_("dispositif"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="aid_applications",
    )
    status = models.CharField(
        _("état"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    title = models.CharField(_("intitulé du projet"), max_length=200)
    description = models.TextField(_("description du projet"), blank=True)
    is_extension = models.BooleanField(_("renouvellement ou prolongation"), default=False)
    project_start = models.DateField(_("début du programme"), null=True, blank=True)
    project_end = models.DateField(_("fin du programme"), null=True, blank=True)
    hired_on = models.DateField(_("date d'embauche (recrutement)"), null=True, blank=True)
    export_share = models.DecimalField(
        _("part du chiffre d'affaires à l'export (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    requested_amount = models.DecimalField(
        _("montant demandé (€)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    # The company's contact for this file (personal data: displays are audited).
    contact_name = models.CharField(_("nom du contact"), max_length=200)
    contact_email = models.EmailField(_("courriel du contact"))
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    declared_no_other_aid = models.BooleanField(
        _("aucune autre aide de minimis reçue sur trois ans"), default=False
    )
    filed_by = models.CharField(_("déposée par"), max_length=10, choices=FiledBy.choices)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisme qui suit le dossier"),
        on_delete=models.PROTECT,
        related_name="aid_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructeur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aid_applications_instructed",
    )
    # Rotating it revokes every signed link sent to the company.
    access_nonce = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    # Instruction.
    eligible_costs = models.DecimalField(
        _("dépenses éligibles retenues (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    eligible_amount = models.DecimalField(
        _("montant éligible calculé (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    proposed_amount = models.DecimalField(
        _("montant proposé (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    opinion = models.CharField(_("avis"), max_length=12, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField(_("motivation de l'avis"), blank=True)
    checks = models.JSONField(_("vérifications d'éligibilité"), default=list, blank=True)
    instructed_at = models.DateTimeField(_("instruite le"), null=True, blank=True)
    # Committee decision.
    session = models.ForeignKey(
        "aids.CommitteeSession",
        verbose_name=_("commission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    decided_on = models.DateField(_("date de la décision"), null=True, blank=True)
    granted_amount = models.DecimalField(
        _("montant accordé (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    decision_letter = models.FileField(
        _("lettre de décision"), storage=private_storage, upload_to=document_path, blank=True
    )
    withdrawn_reason = models.TextField(_("motif du retrait"), blank=True)
    # Agreement, results.
    agreement_signed_on = models.DateField(_("convention signée le"), null=True, blank=True)
    results_due_on = models.DateField(_("résultats attendus le"), null=True, blank=True)
    jobs_created = models.PositiveSmallIntegerField(_("emplois créés"), null=True, blank=True)
    export_revenue = models.DecimalField(
        _("chiffre d'affaires export réalisé (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    markets_opened = models.ManyToManyField(
        "reference.Country", verbose_name=_("marchés ouverts"), blank=True, related_name="+"
    )
    results_comment = models.TextField(_("commentaire sur les résultats"), blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("demande d'aide")
        verbose_name_plural = _("demandes d'aide")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "scheme"]),
            models.Index(fields=["company", "scheme"]),
            models.Index(fields=["decided_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_amount__gte=0),
                name="aids_application_requested_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


@audited()
class PlannedExpense(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="expenses"
    )
    category = models.ForeignKey(
        CostCategory, verbose_name=_("catégorie"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("nature de la dépense"), max_length=200)
    amount = models.DecimalField(_("montant HT (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("dépense prévue")
        verbose_name_plural = _("dépenses prévues")
        ordering = ["application", "category__order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="aids_expense_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.amount} €)"


@audited()
class DeclaredAid(models.Model):
    """De minimis aid the company says it received elsewhere in the last three years; it goes
    to the ledger (source "declared") when the application is submitted."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("demande"),
        on_delete=models.CASCADE,
        related_name="declared_aids",
    )
    granting_body = models.CharField(_("organisme qui a accordé l'aide"), max_length=200)
    granted_on = models.DateField(_("date d'octroi"))
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2)
    regulation = models.CharField(_("règlement"), max_length=20, choices=Regulation.choices)

    class Meta:
        verbose_name = _("aide déclarée")
        verbose_name_plural = _("aides déclarées")
        ordering = ["application", "granted_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="aids_declared_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.granting_body} {self.amount} €"


@audited()
class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="documents"
    )
    required = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("pièce demandée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    label = models.CharField(_("intitulé"), max_length=200)
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=document_path)
    original_name = models.CharField(_("nom du fichier déposé"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["application", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.label


@audited()
class MissingItem(models.Model):
    """What the instructor asked for when the file was declared incomplete."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("demande"),
        on_delete=models.CASCADE,
        related_name="missing_items",
    )
    label = models.CharField(_("élément manquant"), max_length=300)
    required = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("pièce concernée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("fourni le"), null=True, blank=True)

    class Meta:
        verbose_name = _("élément manquant")
        verbose_name_plural = _("éléments manquants")
        ordering = ["application", "requested_at", "pk"]

    def __str__(self) -> str:
        return self.label


class ApplicationEvent(models.Model):
    """The file's history: every change of state and every notable step."""

    application = models.ForeignKey(
        Application, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    from_status = models.CharField(_("état précédent"), max_length=12, blank=True)
    to_status = models.CharField(_("nouvel état"), max_length=12, blank=True)
    title = models.CharField(_("étape"), max_length=200)
    text = models.TextField(_("détail"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_company = models.BooleanField(_("par l'entreprise"), default=False)

    class Meta:
        verbose_name = _("étape du dossier")
        verbose_name_plural = _("historique des dossiers")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return self.title


@audited()
class CommitteeSession(models.Model):
    """A sitting of the commission permanente that decides on a batch of applications."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévue")
        HELD = "held", _("Tenue")

    title = models.CharField(_("intitulé"), max_length=200)
    held_on = models.DateField(_("date de la séance"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    status = models.CharField(
        _("état"), max_length=8, choices=Status.choices, default=Status.PLANNED
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisme"),
        on_delete=models.PROTECT,
        related_name="committee_sessions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


@audited()
class Payment(models.Model):
    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Avance")
        INSTALMENT = "instalment", _("Acompte")
        BALANCE = "balance", _("Solde")

    application = models.ForeignKey(
        Application, verbose_name=_("demande"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("payé le"))
    proof = models.FileField(
        _("justificatif"), storage=private_storage, upload_to=document_path, blank=True
    )
    proof_name = models.CharField(_("nom du justificatif"), max_length=200, blank=True)
    justified_expenses = models.DecimalField(
        _("dépenses justifiées (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["application", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="aids_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} €"
