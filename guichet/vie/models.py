"""V.I.E. missions and student awareness sessions (capability 8; PAREX 2 measure 10, PAREX 1
measure 6). Rules (DOMAIN.md "V.I.E."): missions of 6 to 24 months, one extension within the
24 months; Business France manages the volunteers and invoices the company."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited

MIN_MONTHS = 6
MAX_MONTHS = 24


class HiredWhere(models.TextChoices):
    HOST_COUNTRY = "host_country", _("Dans le pays de mission")
    FRANCE = "france", _("En France")
    OTHER_COUNTRY = "other_country", _("Dans un autre pays")


@audited()
class VieMission(models.Model):
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("entreprise d'accueil"),
        on_delete=models.PROTECT,
        related_name="vie_missions",
    )
    # The volunteer is not named: the platform counts missions, it does not manage people.
    job_title = models.CharField(_("intitulé de la mission"), max_length=200)
    country = models.ForeignKey(
        "reference.Country", verbose_name=_("pays"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("ville"), max_length=120)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin prévue"))
    extended_until = models.DateField(_("prolongée jusqu'au"), null=True, blank=True)
    monthly_cost = models.DecimalField(
        _("coût mensuel pour l'entreprise (€)"), max_digits=10, decimal_places=2
    )
    aid_application = models.ForeignKey(
        "aids.Application",
        verbose_name=_("aide régionale liée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vie_missions",
    )
    hired = models.BooleanField(_("embauché à l'issue"), null=True, blank=True)
    hired_where = models.CharField(
        _("embauché où"), max_length=14, choices=HiredWhere.choices, blank=True
    )
    outcome_note = models.CharField(_("commentaire sur l'issue"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisme qui suit la mission"),
        on_delete=models.PROTECT,
        related_name="vie_missions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("mission V.I.E.")
        verbose_name_plural = _("missions V.I.E.")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="vie_mission_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_cost__gte=0), name="vie_mission_cost_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} — {self.city}"


class SchoolLevel(models.TextChoices):
    LYCEE = "lycee", _("Lycée")
    BTS = "bts", _("BTS / BUT")
    LICENCE = "licence", _("Licence")
    MASTER = "master", _("Master")
    BUSINESS = "business", _("École de commerce")
    ENGINEERING = "engineering", _("École d'ingénieurs")
    OTHER = "other", _("Autre")


@audited()
class AwarenessSession(models.Model):
    school = models.CharField(_("établissement"), max_length=200)
    level = models.CharField(_("niveau"), max_length=12, choices=SchoolLevel.choices)
    held_on = models.DateField(_("date"))
    departement = models.ForeignKey(
        "reference.Departement",
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    speakers = models.CharField(_("intervenants (CCE, conseillers…)"), max_length=300, blank=True)
    students = models.PositiveIntegerField(_("nombre d'étudiants"))
    vie_candidates = models.PositiveIntegerField(
        _("candidats à la plateforme V.I.E. (si connu)"), null=True, blank=True
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisme"),
        on_delete=models.PROTECT,
        related_name="awareness_sessions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)

    class Meta:
        verbose_name = _("session de sensibilisation")
        verbose_name_plural = _("sessions de sensibilisation")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(students__gt=0), name="vie_awareness_students_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.held_on:%d/%m/%Y})"
