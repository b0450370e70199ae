"""Collective actions (capability 7, PAREX 2 measures 5 and 6): the yearly programme of trade
fairs, missions and trainings, the companies' registrations with their subsidy (an aid in the
state-aid ledger), the upstream preparation, and the follow-up surveys at +3, +6 and +12 months
that measure the results.

Registration states (RegistrationStatus): interested → applied → selected | waiting |
not_selected → confirmed (fee invoiced, then paid) → attended | no_show; cancelled from any
state before attendance (the subsidy's ledger line is then cancelled).
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited


class ActionKind(models.TextChoices):
    FAIR = "fair", _("Pavillon régional sur un salon")
    MISSION = "mission", _("Mission de prospection")
    B2B = "b2b", _("Rencontres d'affaires (B2B)")
    TRAINING = "training", _("Formation ou webinaire")
    EXPORT_DAY = "export_day", _("Journée export")
    INBOUND = "inbound", _("Accueil d'acheteurs étrangers")


class ActionRegime(models.TextChoices):
    GBER_19 = "gber_19", _("RGEC art. 19 — participation des PME aux foires")
    DE_MINIMIS = "de_minimis", _("De minimis général — règlement (UE) 2023/2831")
    NOT_AID = "not_aid", _("Pas une aide d'État (aucune prise en charge)")


@audited()
class Programme(models.Model):
    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    introduction = models.TextField(_("présentation"), blank=True)
    is_published = models.BooleanField(_("publié"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme d'actions collectives")
        verbose_name_plural = _("programmes d'actions collectives")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


@audited()
class CollectiveAction(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        PUBLISHED = "published", _("Publiée")
        CANCELLED = "cancelled", _("Annulée")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("type d'action"), max_length=12, choices=ActionKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(_("identifiant court"), max_length=90, unique=True)
    # The same fair or mission year after year: the limit on subsidised participations counts
    # a company's participations across the series (DOMAIN.md: "its first three participations
    # in the same action").
    series = models.SlugField(
        _("série (même salon d'une année sur l'autre)"), max_length=60, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    city = models.CharField(_("ville"), max_length=120)
    country = models.ForeignKey(
        "reference.Country", verbose_name=_("pays"), on_delete=models.PROTECT, related_name="+"
    )
    filieres = models.ManyToManyField(
        "companies.Filiere",
        verbose_name=_("filières"),
        blank=True,
        related_name="collective_actions",
    )
    organiser = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisateur"),
        on_delete=models.PROTECT,
        related_name="collective_actions",
    )
    partners = models.ManyToManyField(
        "partners.Organisation", verbose_name=_("partenaires"), blank=True, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(_("nombre de places"))
    selection_criteria = models.TextField(_("critères de sélection"), blank=True)
    registration_deadline = models.DateField(_("date limite d'inscription"))
    free_cancellation_until = models.DateField(
        _("annulation sans frais jusqu'au"), null=True, blank=True
    )
    cancellation_rules = models.TextField(_("conditions d'annulation"), blank=True)
    # Money, per participating company.
    full_cost = models.DecimalField(
        _("coût complet par entreprise (€)"), max_digits=10, decimal_places=2
    )
    company_fee = models.DecimalField(
        _("participation demandée à l'entreprise (€)"), max_digits=10, decimal_places=2
    )
    eligible_costs = models.JSONField(
        _("coûts admissibles par entreprise ([{libellé, montant}])"), default=list, blank=True
    )
    subsidy_rate = models.DecimalField(
        _("taux de prise en charge (0 à 1)"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    subsidy_cap = models.DecimalField(
        _("plafond de prise en charge par entreprise (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    subsidised_participations_limit = models.PositiveSmallIntegerField(
        _("nombre de participations subventionnées par entreprise dans la série"),
        null=True,
        blank=True,
    )
    regime = models.CharField(_("régime de l'aide"), max_length=12, choices=ActionRegime.choices)
    budget = models.DecimalField(
        _("budget public de l'action (€)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    reminder_days = models.JSONField(_("rappels avant l'action (jours)"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("action collective")
        verbose_name_plural = _("actions collectives")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="collective_action_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(subsidy_rate__gte=0, subsidy_rate__lte=1),
                name="collective_action_rate_0_1",
            ),
            models.CheckConstraint(
                condition=models.Q(full_cost__gte=0, company_fee__gte=0),
                name="collective_action_money_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


@audited()
class ChecklistItem(models.Model):
    """One step of the upstream preparation the participant's advisor ticks."""

    action = models.ForeignKey(
        CollectiveAction,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    label = models.CharField(_("étape de préparation"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("étape de préparation")
        verbose_name_plural = _("étapes de préparation")
        ordering = ["action", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class RegistrationStatus(models.TextChoices):
    INTERESTED = "interested", _("Intéressée")
    APPLIED = "applied", _("Candidate")
    SELECTED = "selected", _("Retenue")
    WAITING = "waiting", _("Liste d'attente")
    NOT_SELECTED = "not_selected", _("Non retenue")
    CONFIRMED = "confirmed", _("Confirmée")
    ATTENDED = "attended", _("Présente")
    NO_SHOW = "no_show", _("Absente")
    CANCELLED = "cancelled", _("Annulée")


class FeeStatus(models.TextChoices):
    NONE = "none", _("Non facturée")
    INVOICED = "invoiced", _("Facturée")
    PAID = "paid", _("Payée")


@audited(masked=("access_nonce",))
class Registration(models.Model):
    action = models.ForeignKey(
        CollectiveAction,
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="collective_registrations",
    )
    status = models.CharField(
        _("état"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.APPLIED,
    )
    # Place on the waiting list (1 = next to be promoted); null when not waiting.
    waiting_rank = models.PositiveSmallIntegerField(
        _("rang sur la liste d'attente"), null=True, blank=True
    )
    not_selected_reason = models.TextField(_("motif de non-sélection"), blank=True)
    motivation = models.TextField(_("objectifs de l'entreprise pour cette action"), blank=True)
    contact_name = models.CharField(_("nom du contact"), max_length=200)
    contact_email = models.EmailField(_("courriel du contact"))
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conseiller qui prépare l'entreprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collective_registrations",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisme qui suit l'entreprise"),
        on_delete=models.PROTECT,
        related_name="collective_registrations",
    )
    registered_by_company = models.BooleanField(_("inscrite par l'entreprise"), default=False)
    fee_status = models.CharField(
        _("participation"), max_length=10, choices=FeeStatus.choices, default=FeeStatus.NONE
    )
    subsidy_amount = models.DecimalField(
        _("prise en charge publique (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    access_nonce = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    created_at = models.DateTimeField(_("inscrite le"), auto_now_add=True)
    selected_at = models.DateTimeField(_("retenue le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancellation_reason = models.TextField(_("motif d'annulation"), blank=True)
    fee_kept = models.BooleanField(_("participation due malgré l'annulation"), default=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["action", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "company"], name="collective_registration_once_per_action"
            ),
        ]
        indexes = [models.Index(fields=["action", "status"])]

    def __str__(self) -> str:
        return f"{self.company} — {self.action}"


class RegistrationEvent(models.Model):
    registration = models.ForeignKey(
        Registration, verbose_name=_("inscription"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("date"))
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

    class Meta:
        verbose_name = _("étape d'une inscription")
        verbose_name_plural = _("historique des inscriptions")
        ordering = ["registration", "at", "pk"]

    def __str__(self) -> str:
        return self.title


class ChecklistTick(models.Model):
    registration = models.ForeignKey(
        Registration, verbose_name=_("inscription"), on_delete=models.CASCADE, related_name="ticks"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("étape"), on_delete=models.CASCADE, related_name="ticks"
    )
    done_at = models.DateTimeField(_("fait le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("étape de préparation faite")
        verbose_name_plural = _("étapes de préparation faites")
        ordering = ["registration", "item__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "item"], name="collective_tick_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} ✓"


class ReminderLog(models.Model):
    """A reminder sent (to the company or its advisor) — at most once per kind."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("rappel"), max_length=40)
    sent_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        ordering = ["registration", "sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"], name="collective_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return self.kind


class SurveyWave(models.IntegerChoices):
    THREE = 3, _("À 3 mois")
    SIX = 6, _("À 6 mois")
    TWELVE = 12, _("À 12 mois")


@audited()
class FollowUpSurvey(models.Model):
    """The results a participant reports N months after the action (signed link, no account,
    one reminder), or that its advisor enters after a call."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    wave = models.PositiveSmallIntegerField(_("vague"), choices=SurveyWave.choices)
    due_on = models.DateField(_("à envoyer le"))
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par (conseiller)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contacts_made = models.PositiveIntegerField(_("contacts établis"), null=True, blank=True)
    meetings_held = models.PositiveIntegerField(_("rendez-vous tenus"), null=True, blank=True)
    quotes_sent = models.PositiveIntegerField(_("devis envoyés"), null=True, blank=True)
    contracts_signed = models.PositiveIntegerField(_("contrats signés"), null=True, blank=True)
    contracts_value = models.DecimalField(
        _("montant des contrats (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contract_countries = models.ManyToManyField(
        "reference.Country", verbose_name=_("pays des contrats"), blank=True, related_name="+"
    )
    expected_export_revenue = models.DecimalField(
        _("chiffre d'affaires export attendu (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1 à 5)"), null=True, blank=True
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("enquête de suivi")
        verbose_name_plural = _("enquêtes de suivi")
        ordering = ["registration", "wave"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "wave"], name="collective_survey_once_per_wave"
            ),
        ]
        indexes = [models.Index(fields=["due_on", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.registration} — {self.get_wave_display()}"
