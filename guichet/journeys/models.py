"""The timeline of a company: every exchange any capability has with it (desk needs, meetings,
diagnostics, aids, events) and the notes advisors write, newest first on the company file.

Capabilities write here through `services.timeline_event_record`, naming themselves in
`source`/`source_id` and linking back to their object in `link`. A confidential event is shown
only to the members of the organisation that recorded it.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited


@audited()
class TimelineEvent(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", _("Appel")
        MEETING = "meeting", _("Rendez-vous")
        VISIT = "visit", _("Visite")
        EMAIL = "email", _("Courriel")
        EVENT = "event", _("Événement")
        COLLECTIVE = "collective", _("Action collective")
        AID = "aid", _("Aide")
        DIAGNOSTIC = "diagnostic", _("Diagnostic")
        NEED = "need", _("Demande au guichet")
        NOTE = "note", _("Note")
        OTHER = "other", _("Autre")

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="timeline_events",
        db_index=False,  # the (company, -occurred_at) index serves lookups by company
        verbose_name=_("entreprise"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("date"), default=timezone.now)
    author = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte"), blank=True)
    confidential = models.BooleanField(_("confidentiel"), default=False)
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(_("identifiant dans la source"), max_length=40, blank=True)
    link = models.CharField(_("lien"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("événement du suivi")
        verbose_name_plural = _("événements du suivi")
        indexes = [
            models.Index(fields=["company", "-occurred_at"], name="journeys_event_company_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.title}"


class Stage(models.TextChoices):
    """Stages of the export journey, in order; DROPPED leaves it (with a reason)."""

    IDENTIFIED = "identified", _("Repérée")
    CONTACTED = "contacted", _("Contactée")
    DIAGNOSED = "diagnosed", _("Diagnostiquée")
    ACCOMPANIED = "accompanied", _("Accompagnée")
    FIRST_EXPORT = "first_export", _("Première exportation")
    REGULAR = "regular", _("Exportatrice régulière")
    DROPPED = "dropped", _("Sortie du parcours")


STAGE_ORDER = [
    Stage.IDENTIFIED,
    Stage.CONTACTED,
    Stage.DIAGNOSED,
    Stage.ACCOMPANIED,
    Stage.FIRST_EXPORT,
    Stage.REGULAR,
]


@audited()
class Journey(models.Model):
    """A company followed by the platform: its lead advisor and its current stage. The stage
    history is in StageChange (every move dated and kept)."""

    company = models.OneToOneField(
        "companies.Company",
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        related_name="journey",
    )
    lead_advisor = models.ForeignKey(
        "partners.User",
        verbose_name=_("conseiller référent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_journeys",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation du référent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.CharField(
        _("étape"), max_length=14, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    stage_since = models.DateTimeField(_("à cette étape depuis"), default=timezone.now)
    dropped_reason = models.CharField(_("motif de sortie"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("suivie depuis"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")
        indexes = [
            models.Index(fields=["lead_advisor", "stage"], name="journeys_lead_stage_idx"),
            models.Index(fields=["stage"], name="journeys_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.get_stage_display()}"


class StageChange(models.Model):
    """One move of a journey from a stage to another (append-only)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(
        _("de"), max_length=14, choices=Stage.choices, blank=True
    )  # empty: the journey starts
    to_stage = models.CharField(_("vers"), max_length=14, choices=Stage.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    by = models.ForeignKey(
        "partners.User",
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("motif"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.journey.company} : {self.from_stage or '—'} → {self.to_stage}"


@audited()
class NextAction(models.Model):
    """Something to do for a company, by someone, before a date."""

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        related_name="next_actions",
    )
    title = models.CharField(_("action"), max_length=200)
    notes = models.TextField(_("précisions"), blank=True)
    due_on = models.DateField(_("échéance"))
    assignee = models.ForeignKey(
        "partners.User",
        verbose_name=_("confiée à"),
        on_delete=models.PROTECT,
        related_name="next_actions",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    done_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=40, blank=True)  # e.g. "diagnostics.plan"
    source_id = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("action à mener")
        verbose_name_plural = _("actions à mener")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_on"], name="journeys_action_todo_idx")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d/%m/%Y})"
