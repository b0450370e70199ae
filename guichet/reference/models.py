"""Reference tables (référentiels), loaded by `reference_data_load` (services.py).

Every table is keyed by its official code, so other apps can point at a row with a plain
foreign key and imports can match codes without a lookup. The rows are never edited by hand:
see docs/data-sources.md for the source and licence of each table.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A French région (INSEE COG code, e.g. "27")."""

    code = models.CharField(_("code INSEE"), max_length=2, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    """A French département (INSEE COG code: "01".."95", "2A", "2B", "971".."976")."""

    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="departements",
        verbose_name=_("région"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class NafCode(models.Model):
    """A code of the French activity nomenclature NAF rév. 2, at any of its five levels.

    Codes keep the INSEE punctuation: section "J", division "62", groupe "62.0", classe
    "62.01", sous-classe "62.01Z" (the form SIRENE uses for the main activity).
    """

    class Level(models.IntegerChoices):
        SECTION = 1, _("section")
        DIVISION = 2, _("division")
        GROUPE = 3, _("groupe")
        CLASSE = 4, _("classe")
        SOUS_CLASSE = 5, _("sous-classe")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    level = models.PositiveSmallIntegerField(
        _("niveau"),
        choices=Level.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    label = models.CharField(_("libellé"), max_length=255)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("niveau supérieur"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("code NAF")
        verbose_name_plural = _("codes NAF")
        indexes = [models.Index(fields=["level", "code"], name="reference_naf_level_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5),
                name="reference_nafcode_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


class HeadcountBand(models.Model):
    """A SIRENE headcount band ("tranche d'effectifs salariés", e.g. "12" = 20 à 49)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    label = models.CharField(_("libellé"), max_length=100)
    min_employees = models.PositiveIntegerField(_("effectif minimum"))
    max_employees = models.PositiveIntegerField(
        _("effectif maximum"),
        null=True,
        blank=True,
        help_text=_("Vide pour la dernière tranche (sans limite supérieure)."),
    )

    class Meta:
        # "NN" (no employee all year) before "00" (none on 31 December), then by size.
        ordering = ["min_employees", "-code"]
        verbose_name = _("tranche d'effectifs")
        verbose_name_plural = _("tranches d'effectifs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_employees__isnull=True)
                | models.Q(max_employees__gte=models.F("min_employees")),
                name="reference_headcountband_max_gte_min",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Country(models.Model):
    """A country or territory of ISO 3166-1, with its French name."""

    iso2 = models.CharField(_("code ISO alpha-2"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("code ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("code ISO numérique"), max_length=3, db_index=True)
    name_fr = models.CharField(_("nom"), max_length=100)
    # name_fr without accents, case-folded: "États-Unis" sorts with the E, whatever the
    # database collation (set by the loader).
    sort_name = models.CharField(_("nom pour le tri"), max_length=100, db_index=True)

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("pays")
        verbose_name_plural = _("pays")

    def __str__(self) -> str:
        return self.name_fr
