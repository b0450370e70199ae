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
