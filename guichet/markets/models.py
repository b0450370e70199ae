"""Market data: what was loaded (the rows themselves live in Parquet under var/markets/),
the web loading jobs, the analyst's projection assumptions and cooperation agreements.

Trade rows never enter the relational database: a BACI year is ~10 million rows, read by
DuckDB from Parquet (ARCHITECTURE.md, "analytics"). The database records each loaded file
(its kind, source, year, checksum, counts) so loading is idempotent per source and year and
cached results know when their inputs changed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetKind(models.TextChoices):
    TRADE = "trade", _("Commerce mondial (exportateur × importateur × produit)")
    CUSTOMS = "customs", _("Douanes françaises, données régionales")
    GEODIST = "geodist", _("Distances bilatérales (CEPII GeoDist)")
    MACRO = "macro", _("PIB et population")


class TradeSource(models.TextChoices):
    BACI = "baci", _("CEPII BACI")
    COMTRADE = "comtrade", _("UN Comtrade (fichier en masse)")
    CUSTOMS_FR = "customs-fr", _("Douanes françaises (tableaux régionaux)")
    GEODIST = "geodist", _("CEPII GeoDist")
    MACRO = "macro", _("Fichier PIB / population")
    DEMO = "demo", _("Données de démonstration")


class TradeDataset(models.Model):
    """One loaded file: a trade year of one source, the regional customs year, the distance
    table or the macro table. Reloading the same source and year replaces it."""

    kind = models.CharField(_("nature"), max_length=12, choices=DatasetKind.choices)
    source = models.CharField(_("source"), max_length=12, choices=TradeSource.choices)
    # 0 for tables without a year (distances, macro figures): keeps the unique key simple.
    year = models.PositiveSmallIntegerField(_("année"), default=0)
    product_level = models.CharField(
        _("niveau de produit"), max_length=4, blank=True, help_text=_("hs6, hs4 ou hs2")
    )
    nomenclature = models.CharField(
        _("nomenclature"), max_length=20, blank=True, help_text=_("Par exemple HS92, HS17.")
    )
    path = models.CharField(_("fichier Parquet"), max_length=300)
    original_name = models.CharField(_("fichier d'origine"), max_length=300, blank=True)
    checksum = models.CharField(_("empreinte SHA-256 du fichier d'origine"), max_length=64)
    rows = models.PositiveBigIntegerField(_("lignes chargées"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("lignes rejetées"), default=0)
    value_total = models.FloatField(_("valeur totale"), default=0)
    currency = models.CharField(_("unité de valeur"), max_length=20, blank=True)
    is_demo = models.BooleanField(_("données de démonstration"), default=False)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chargé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "-year", "source"]
        verbose_name = _("jeu de données de marché")
        verbose_name_plural = _("jeux de données de marché")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source", "year"], name="markets_dataset_one_per_source_year"
            )
        ]

    def __str__(self) -> str:
        label = self.get_source_display()
        return f"{label} {self.year}" if self.year else label


class LoadJob(models.Model):
    """A load started from the web (upload or server path), run by the worker; the page
    polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    kind = models.CharField(_("nature"), max_length=12, choices=DatasetKind.choices)
    source = models.CharField(_("format"), max_length=12, choices=TradeSource.choices)
    input_path = models.CharField(_("fichier à charger"), max_length=500)
    original_name = models.CharField(_("nom du fichier"), max_length=300, blank=True)
    uploaded = models.BooleanField(_("fichier envoyé par le navigateur"), default=False)
    countries_path = models.CharField(_("table des codes pays"), max_length=500, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    rows = models.PositiveBigIntegerField(_("lignes chargées"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("lignes rejetées"), default=0)
    report_path = models.CharField(_("rapport des rejets"), max_length=500, blank=True)
    dataset = models.ForeignKey(
        TradeDataset,
        verbose_name=_("jeu chargé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lancé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("chargement de données de marché")
        verbose_name_plural = _("chargements de données de marché")

    def __str__(self) -> str:
        return f"{self.get_source_display()} — {self.get_status_display()}"


class MarketAssumption(models.Model):
    """The analyst's projection for one country, replacing the default computed from the
    last available macro figures: growth of GDP and of population over the horizon."""

    country = models.OneToOneField(
        "reference.Country",
        verbose_name=_("pays"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    gdp_growth_pct = models.DecimalField(
        _("croissance du PIB sur l'horizon (%)"), max_digits=6, decimal_places=2
    )
    population_growth_pct = models.DecimalField(
        _("croissance de la population sur l'horizon (%)"), max_digits=6, decimal_places=2
    )
    source = models.CharField(_("source de l'hypothèse"), max_length=300)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifiée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["country__sort_name"]
        verbose_name = _("hypothèse de projection")
        verbose_name_plural = _("hypothèses de projection")

    def __str__(self) -> str:
        return str(self.country)


class CooperationAgreement(models.Model):
    """A cooperation agreement of the region or a partner with a foreign country or region:
    shown on the country's fact sheet as part of the partners' presence."""

    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("pays"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("intitulé"), max_length=200)
    counterpart = models.CharField(
        _("partenaire étranger"),
        max_length=200,
        blank=True,
        help_text=_("Région, province, agence ou chambre signataire."),
    )
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    ends_on = models.DateField(_("prend fin le"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        ordering = ["country__sort_name", "title"]
        verbose_name = _("accord de coopération")
        verbose_name_plural = _("accords de coopération")

    def __str__(self) -> str:
        return self.title
