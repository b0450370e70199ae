"""The region's export plan as data (capability 10): plan → axes → measures → indicators.

An indicator is either computed from the platform's records (``computation`` names a function
of the library in ``guichet.plans.computations``) or entered by hand (``ManualValue`` rows, each
with its period, source and author). Targets are per year.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited


class Breakdown(models.TextChoices):
    PARTNER = "partner", _("Partenaire")
    FILIERE = "filiere", _("Filière")
    DEPARTEMENT = "departement", _("Département")
    SIZE = "size", _("Taille d'entreprise")


class Direction(models.TextChoices):
    UP = "up", _("Plus c'est élevé, mieux c'est")
    DOWN = "down", _("Plus c'est bas, mieux c'est")


@audited()
class Plan(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    first_year = models.PositiveSmallIntegerField(
        _("première année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    last_year = models.PositiveSmallIntegerField(
        _("dernière année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    owner = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation pilote"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-first_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="plans_plan_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


@audited()
class Axis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_axis_number_unique")
        ]

    def __str__(self) -> str:
        return f"Axe {self.number} – {self.title}"


@audited()
class Measure(models.Model):
    """Numbered across the plan (PAREX 2: measures 1 to 11 over three axes)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("partenaire chef de file"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_measure_number_unique")
        ]

    def __str__(self) -> str:
        return f"Mesure {self.number} – {self.title}"


@audited()
class MeasureReport(models.Model):
    """What was done for a measure in a year, in words: the yearly report's text."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("année"))
    text = models.TextField(_("réalisations de l'année"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("bilan de mesure")
        verbose_name_plural = _("bilans de mesure")
        constraints = [
            models.UniqueConstraint(fields=["measure", "year"], name="plans_measure_report_year")
        ]

    def __str__(self) -> str:
        return f"{self.measure} – {self.year}"


class LibraryFamily(models.TextChoices):
    IMPACT = "impact", _("Indicateur d'impact")
    INTERNATIONALISATION = "internationalisation", _("Indicateur d'internationalisation")
    ACTIVITY = "activity", _("Indicateur d'activité")


class LibraryEntry(models.Model):
    """A ready-made indicator a region can pick for its plan (ARRICOD's library, seed 004,
    rated for ease of access to the data and relevance, each from 1 to 5)."""

    family = models.CharField(_("famille"), max_length=24, choices=LibraryFamily.choices)
    name = models.CharField(_("indicateur"), max_length=300)
    access = models.DecimalField(
        _("accès à la donnée"),
        max_digits=2,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    relevance = models.DecimalField(
        _("pertinence"),
        max_digits=2,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    computation = models.CharField(
        _("calcul proposé"), max_length=60, blank=True, help_text=_("clé de la bibliothèque")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("indicateur de la bibliothèque")
        verbose_name_plural = _("bibliothèque d'indicateurs")
        ordering = ["family", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["family", "name"], name="plans_library_unique")
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("intitulé"), max_length=300)
    definition = models.TextField(_("définition"), blank=True)
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    direction = models.CharField(
        _("sens"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    owner = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("partenaire responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    baseline = models.DecimalField(
        _("valeur de référence"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("année de référence"), null=True, blank=True)
    computation = models.CharField(
        _("calcul automatique"),
        max_length=60,
        blank=True,
        help_text=_("vide : saisie manuelle"),
    )
    breakdowns = models.JSONField(_("ventilations permises"), default=list, blank=True)
    library_entry = models.ForeignKey(
        LibraryEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["measure__number", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plans_indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_automatic(self) -> bool:
        return bool(self.computation)


@audited()
class YearTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("année"))
    value = models.DecimalField(_("cible"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("cible annuelle")
        verbose_name_plural = _("cibles annuelles")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="plans_target_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} : {self.value}"


@audited()
class ManualValue(models.Model):
    """A realised value entered by hand, with its period and source. The latest entry for a
    year is the year's value; earlier ones are kept as the history."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_values")
    year = models.PositiveSmallIntegerField(_("année"))
    period = models.CharField(_("période"), max_length=60, blank=True)
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("saisie le"), default=timezone.now)

    class Meta:
        verbose_name = _("valeur saisie")
        verbose_name_plural = _("valeurs saisies")
        ordering = ["indicator", "year", "-entered_at", "-pk"]
        indexes = [models.Index(fields=["indicator", "year"], name="plans_manual_ind_year_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} : {self.value} ({self.source})"
