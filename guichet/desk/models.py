"""The one-stop desk (capability 3): needs stated by companies, routing rules, the partners'
matches and their answers, service levels, absences, surveys and the e-mails sent.

A need's status is never stored: it is derived from its matches (see `guichet.desk.status`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.companies.models import ExportStatus
from guichet.core.audit import audited
from guichet.core.references import yearly_reference


def new_reference() -> str:
    """A short, unguessable reference the company quotes: year + 6 characters (no 0/O, 1/I)."""
    return yearly_reference()


@audited()
class Subject(models.Model):
    """A subject a company can ask about; the list is edited by administrators."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=150)
    description = models.CharField(_("précision affichée"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=100)
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        verbose_name = _("sujet de demande")
        verbose_name_plural = _("sujets de demande")
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


@audited()
class DeskPolicy(models.Model):
    """Service levels of the desk (one row). Delays are counted in working days: weekends and
    French public holidays are excluded."""

    first_answer_days = models.PositiveSmallIntegerField(
        _("délai de première réponse (jours ouvrés)"), default=5
    )
    escalation_day = models.PositiveSmallIntegerField(
        _("alerte au responsable de l'organisation (jour ouvré)"), default=9
    )
    reroute_day = models.PositiveSmallIntegerField(
        _("réorientation vers l'organisation de secours (jour ouvré)"), default=21
    )
    abandon_day = models.PositiveSmallIntegerField(
        _("clôture sans réponse et excuses à l'entreprise (jour ouvré)"), default=45
    )
    close_reminder_day = models.PositiveSmallIntegerField(
        _("rappel de clôture d'une demande prise en charge (jour ouvré)"), default=30
    )
    survey_delay_days = models.PositiveSmallIntegerField(
        _("envoi de l'enquête de satisfaction après la clôture (jours)"), default=10
    )
    fallback_organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation de secours"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    desk_phone = models.CharField(_("téléphone du guichet"), max_length=30, blank=True)
    desk_email = models.EmailField(_("adresse du guichet"), blank=True)
    submissions_per_hour = models.PositiveSmallIntegerField(
        _("demandes publiques acceptées par heure et par adresse IP"), default=5
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("niveaux de service du guichet")
        verbose_name_plural = _("niveaux de service du guichet")

    def __str__(self) -> str:
        return str(_("Niveaux de service du guichet"))

    @classmethod
    def current(cls) -> "DeskPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


@audited()
class RoutingRule(models.Model):
    """Subject × territory × optional company filters → a partner organisation (and optionally
    a named person). Rules of the lowest priority number are used first; a refusal moves the
    need to the next priority."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("sujet"), on_delete=models.PROTECT, related_name="rules"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation destinataire"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne nommée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="routing_rules",
    )
    priority = models.PositiveSmallIntegerField(
        _("rang"),
        default=1,
        help_text=_("1 = reçoit la demande en premier ; 2 = en cas de refus du rang 1, etc."),
    )
    regions = models.ManyToManyField(
        "reference.Region", verbose_name=_("régions"), blank=True, related_name="+"
    )
    departements = models.ManyToManyField(
        "reference.Departement", verbose_name=_("départements"), blank=True, related_name="+"
    )
    communes = models.JSONField(_("communes (codes INSEE)"), default=list, blank=True)
    naf_codes = models.ManyToManyField(
        "reference.NafCode", verbose_name=_("codes NAF"), blank=True, related_name="+"
    )
    min_employees = models.PositiveIntegerField(_("effectif minimum"), null=True, blank=True)
    max_employees = models.PositiveIntegerField(_("effectif maximum"), null=True, blank=True)
    min_age_years = models.PositiveSmallIntegerField(
        _("âge minimum de l'entreprise (ans)"), null=True, blank=True
    )
    max_age_years = models.PositiveSmallIntegerField(
        _("âge maximum de l'entreprise (ans)"), null=True, blank=True
    )
    export_statuses = models.JSONField(_("statuts export"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("règle d'orientation")
        verbose_name_plural = _("règles d'orientation")
        ordering = ["subject__order", "priority", "organisation__name"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.organisation} (rang {self.priority})"


class Channel(models.TextChoices):
    WEB = "web", _("Formulaire public")
    API = "api", _("Site partenaire (API)")
    PHONE = "phone", _("Téléphone")
    EMAIL = "email", _("Courriel")
    VISIT = "visit", _("Visite ou rendez-vous")
    EVENT = "event", _("Salon ou événement")


@audited()
class Need(models.Model):
    """What a company asks the desk. Its status is derived from its matches."""

    reference = models.CharField(
        _("référence"), max_length=12, unique=True, default=new_reference, editable=False
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("entreprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    siret = models.CharField(_("SIRET déclaré"), max_length=14, blank=True)
    company_name = models.CharField(_("raison sociale déclarée"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune_code = models.CharField(_("code commune"), max_length=5, blank=True)
    departement = models.ForeignKey(
        "reference.Departement",
        verbose_name=_("département"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("région"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subjects = models.ManyToManyField(Subject, verbose_name=_("sujets"), related_name="needs")
    description = models.TextField(_("description du besoin"))
    contact_first_name = models.CharField(_("prénom"), max_length=100)
    contact_last_name = models.CharField(_("nom"), max_length=100)
    contact_role = models.CharField(_("fonction"), max_length=100, blank=True)
    contact_email = models.EmailField(_("adresse électronique"))
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    source_organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation qui a transmis"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    is_spam = models.BooleanField(_("indésirable"), default=False)
    spam_reason = models.CharField(_("motif (indésirable)"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("rattachée à"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attached_needs",
    )
    client_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["submitted_at"], name="desk_need_submitted_idx"),
            models.Index(fields=["client_fingerprint", "submitted_at"], name="desk_need_fp_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.company_name}"

    @property
    def contact_name(self) -> str:
        return f"{self.contact_first_name} {self.contact_last_name}".strip()


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    TAKEN = "taken", _("Prise en charge")
    DONE = "done", _("Close avec aide")
    DONE_NO_HELP = "done_no_help", _("Close sans aide")
    UNREACHABLE = "unreachable", _("Entreprise injoignable")
    REFUSED = "refused", _("Refusée (pas pour nous)")
    EXPIRED = "expired", _("Sans réponse dans les délais")
    CANCELLED = "cancelled", _("Annulée")


OPEN_MATCH_STATUSES = (MatchStatus.PENDING, MatchStatus.TAKEN)
ANSWER_STATUSES = (
    MatchStatus.TAKEN,
    MatchStatus.DONE,
    MatchStatus.DONE_NO_HELP,
    MatchStatus.UNREACHABLE,
    MatchStatus.REFUSED,
)


class RefusalReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("Hors de notre champ d'intervention")
    OUT_OF_TERRITORY = "out_of_territory", _("Hors de notre territoire")
    NOT_ELIGIBLE = "not_eligible", _("Entreprise non éligible à nos offres")
    ALREADY_FOLLOWED = "already_followed", _("Déjà accompagnée par un autre partenaire")
    NO_CAPACITY = "no_capacity", _("Pas de disponibilité dans les délais")
    OTHER = "other", _("Autre motif (à préciser)")


class Match(models.Model):
    """A need routed to one partner organisation, and that partner's answer."""

    class Via(models.TextChoices):
        RULE = "rule", _("Règle d'orientation")
        FALLBACK = "fallback", _("Organisation de secours")
        MANUAL = "manual", _("Orientation manuelle")

    need = models.ForeignKey(
        Need, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="matches"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="desk_matches",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suivie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_matches",
    )
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("sujet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rule = models.ForeignKey(
        RoutingRule,
        verbose_name=_("règle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
    )
    via = models.CharField(_("orientée par"), max_length=10, choices=Via.choices)
    priority = models.PositiveSmallIntegerField(_("rang"), default=1)
    status = models.CharField(
        _("état"), max_length=14, choices=MatchStatus.choices, default=MatchStatus.PENDING
    )
    routed_at = models.DateTimeField(_("orientée le"), default=timezone.now)
    first_answer_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    taken_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("signalée au responsable le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("réponse de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.CharField(
        _("motif du refus"), max_length=20, choices=RefusalReason.choices, blank=True
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["routed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "organisation"], name="desk_match_need_org")
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="desk_match_org_status_idx"),
            models.Index(fields=["status", "routed_at"], name="desk_match_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.need.reference} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MATCH_STATUSES


class NeedEvent(models.Model):
    """The history of a need, from intake to outcome (append-only)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Demande reçue")
        ATTACHED = "attached", _("Nouvelle demande rattachée")
        ROUTED = "routed", _("Orientée")
        ANSWERED = "answered", _("Réponse du partenaire")
        REASSIGNED = "reassigned", _("Confiée à un collègue")
        ESCALATED = "escalated", _("Signalée au responsable")
        REROUTED = "rerouted", _("Réorientée faute de réponse")
        ABANDONED = "abandoned", _("Close sans réponse")
        SPAM = "spam", _("Marquée indésirable")
        UNSPAM = "unspam", _("Rétablie")
        EMAIL = "email", _("Courriel à l'entreprise")
        SURVEY = "survey", _("Réponse à l'enquête de satisfaction")
        NOTE = "note", _("Note")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    match = models.ForeignKey(
        Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("détail"), blank=True)

    class Meta:
        verbose_name = _("étape d'une demande")
        verbose_name_plural = _("étapes des demandes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y})"


class CompanyEmail(models.Model):
    """An e-mail sent to the company about its need; each kind is sent at most once."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Accusé de réception")
        ATTACHED = "attached", _("Rattachement à une demande en cours")
        TAKEN = "taken", _("Prise en charge")
        CLOSED = "closed", _("Clôture")
        APOLOGY = "apology", _("Excuses faute de réponse")
        SURVEY = "survey", _("Enquête de satisfaction")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="company_emails")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    to = models.EmailField(_("destinataire"))

    class Meta:
        verbose_name = _("courriel à l'entreprise")
        verbose_name_plural = _("courriels aux entreprises")
        constraints = [
            models.UniqueConstraint(fields=["need", "kind"], name="desk_company_email_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to}"


class DigestLog(models.Model):
    """One row per person per day a digest was sent: the e-mail budget is enforced here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("récapitulatif envoyé")
        verbose_name_plural = _("récapitulatifs envoyés")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="desk_digest_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.day}"


@audited()
class Absence(models.Model):
    """An advisor away: their open matches go to a named colleague of the same organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne absente"),
        on_delete=models.CASCADE,
        related_name="desk_absences",
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("remplacée par"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("déclarée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.user} du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"


class SurveyResponse(models.Model):
    """The company's answer to the satisfaction survey sent after closure."""

    class Useful(models.TextChoices):
        YES = "yes", _("Oui")
        PARTLY = "partly", _("En partie")
        NO = "no", _("Non")

    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="survey")
    contacted = models.BooleanField(_("contactée par un partenaire"))
    useful = models.CharField(_("utile"), max_length=8, choices=Useful.choices, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    comment_shared = models.BooleanField(_("commentaire transmis au partenaire"), default=False)
    answered_at = models.DateTimeField(_("répondu le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse à l'enquête")
        verbose_name_plural = _("réponses à l'enquête")

    def __str__(self) -> str:
        return f"Enquête {self.need.reference}"


EXPORT_STATUS_CHOICES = ExportStatus.choices
