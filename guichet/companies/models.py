"""The company registry: legal units (SIREN), establishments (SIRET), filières, export profile,
contacts, and the runs of the SIRENE import.

Identity fields come from INSEE SIRENE and are only written by the import; what the platform
owns (export facts, contacts, the cached current export status) is never touched by it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited


class SizeCategory(models.TextChoices):
    TPE = "TPE", _("Microentreprise (TPE)")
    PME = "PME", _("Petite ou moyenne entreprise (PME)")
    ETI = "ETI", _("Entreprise de taille intermédiaire (ETI)")
    GE = "GE", _("Grande entreprise (GE)")


class ExportStatus(models.TextChoices):
    NEVER = "never", _("N'exporte pas")
    NEW = "new", _("Primo-exportateur")
    OCCASIONAL = "occasional", _("Exportateur occasionnel")
    REGULAR = "regular", _("Exportateur régulier")


class Company(models.Model):
    """A legal unit (unité légale) of SIRENE, identified by its SIREN."""

    # Unique by a constraint, not `unique=True`: on PostgreSQL the latter adds a second,
    # pattern-matching index nobody uses, which every import row pays for.
    siren = models.CharField(_("SIREN"), max_length=9)
    name = models.CharField(_("nom"), max_length=300)
    denomination = models.CharField(_("dénomination"), max_length=300, blank=True)
    usual_names = models.CharField(_("dénominations usuelles"), max_length=300, blank=True)
    acronym = models.CharField(_("sigle"), max_length=60, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom de naissance"), max_length=100, blank=True)
    usage_name = models.CharField(_("nom d'usage"), max_length=100, blank=True)
    # Lower-case, accent-free text of every name, indexed for search (trigram / FTS5).
    search_text = models.CharField(_("texte de recherche"), max_length=600, blank=True)
    legal_category = models.CharField(_("catégorie juridique"), max_length=4, blank=True)
    naf = models.ForeignKey(
        "reference.NafCode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed in Meta / by the search's covering indexes
        verbose_name=_("activité principale (NAF rév. 2)"),
    )
    # The code as SIRENE gives it, whatever its nomenclature (old units keep NAP / NAF 1993).
    activity_code = models.CharField(_("code d'activité"), max_length=8, blank=True)
    activity_nomenclature = models.CharField(_("nomenclature"), max_length=10, blank=True)
    headcount_band = models.ForeignKey(
        "reference.HeadcountBand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # never filtered alone; 16 reference rows, never deleted
        verbose_name=_("tranche d'effectifs"),
    )
    headcount_year = models.PositiveSmallIntegerField(
        _("année des effectifs"), null=True, blank=True
    )
    size_category = models.CharField(
        _("catégorie d'entreprise"), max_length=3, choices=SizeCategory.choices, blank=True
    )
    size_category_year = models.PositiveSmallIntegerField(
        _("année de la catégorie"), null=True, blank=True
    )
    creation_date = models.DateField(_("date de création"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    ceased_on = models.DateField(_("cessée le"), null=True, blank=True)
    is_employer = models.BooleanField(_("employeur"), null=True, blank=True)
    partially_diffusible = models.BooleanField(_("diffusion partielle"), default=False)
    headquarters_siret = models.CharField(_("SIRET du siège"), max_length=14, blank=True)
    sirene_updated_at = models.DateTimeField(_("dernier traitement SIRENE"), null=True, blank=True)
    # Digest of the imported SIRENE fields: an unchanged row is detected without a comparison.
    sirene_digest = models.CharField(max_length=32, blank=True, editable=False)
    # Platform-owned: the current export status (latest export fact), kept for filtering.
    export_status = models.CharField(
        _("statut export"), max_length=12, choices=ExportStatus.choices, blank=True
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["naf"], name="companies_company_naf_idx"),
            models.Index(fields=["size_category"], name="companies_company_size_idx"),
            models.Index(fields=["export_status"], name="companies_company_export_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["siren"], name="companies_company_siren_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.siren})"

    @property
    def siren_display(self) -> str:
        return f"{self.siren[:3]} {self.siren[3:6]} {self.siren[6:]}"


class Establishment(models.Model):
    """An establishment (établissement) of SIRENE, identified by its SIRET."""

    siret = models.CharField(_("SIRET"), max_length=14)
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="establishments",
        verbose_name=_("entreprise"),
    )
    is_headquarters = models.BooleanField(_("siège"), default=False)
    name = models.CharField(_("enseigne ou nom usuel"), max_length=300, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune_code = models.CharField(_("code commune"), max_length=5, blank=True)
    commune_name = models.CharField(_("commune"), max_length=100, blank=True)
    departement = models.ForeignKey(
        "reference.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the search's covering index (departement, company) serves it
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        "reference.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the search's covering index (region, company) serves it
        verbose_name=_("région"),
    )
    country = models.CharField(_("pays (établissement à l'étranger)"), max_length=100, blank=True)
    naf = models.ForeignKey(
        "reference.NafCode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed in Meta / by the search's covering indexes
        verbose_name=_("activité principale (NAF rév. 2)"),
    )
    activity_code = models.CharField(_("code d'activité"), max_length=8, blank=True)
    activity_nomenclature = models.CharField(_("nomenclature"), max_length=10, blank=True)
    headcount_band = models.ForeignKey(
        "reference.HeadcountBand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # never filtered alone; 16 reference rows, never deleted
        verbose_name=_("tranche d'effectifs"),
    )
    headcount_year = models.PositiveSmallIntegerField(
        _("année des effectifs"), null=True, blank=True
    )
    creation_date = models.DateField(_("date de création"), null=True, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    closed_on = models.DateField(_("fermé le"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    sirene_digest = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["-is_headquarters", "siret"]
        # Département, région and NAF are served by the search's covering indexes
        # (migration 0002): (departement_id, company_id), (region_id, company_id), (naf_id, …).
        indexes = [
            models.Index(fields=["commune_code"], name="companies_estab_commune_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["siret"], name="companies_establishment_siret_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.siret} – {self.commune_name or self.country}"

    @property
    def siret_display(self) -> str:
        s = self.siret
        return f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"


@audited()
class Filiere(models.Model):
    """A sector of the regional economy, defined as a set of NAF codes (any level)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant court"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    naf_codes = models.ManyToManyField(
        "reference.NafCode", verbose_name=_("codes NAF"), related_name="filieres"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("filière")
        verbose_name_plural = _("filières")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExportFact(models.Model):
    """One dated fact of a company's export profile, with its source. History is never erased:
    the current value of an attribute is its latest fact."""

    class Attribute(models.TextChoices):
        STATUS = "status", _("Statut export")
        EXPORT_SHARE = "export_share", _("Part du chiffre d'affaires à l'export (%)")
        TURNOVER_BAND = "turnover_band", _("Tranche de chiffre d'affaires")
        COUNTRIES_SERVED = "countries_served", _("Pays servis")
        COUNTRIES_TARGETED = "countries_targeted", _("Pays visés")
        CLUSTERS = "clusters", _("Pôles et clusters")
        INNOVATIVE = "innovative", _("Entreprise innovante")

    class Source(models.TextChoices):
        DECLARED = "declared", _("Déclaré par l'entreprise")
        ADVISOR = "advisor", _("Saisi par un conseiller")
        SURVEY = "survey", _("Enquête")
        IMPORT = "import", _("Import")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="export_facts", verbose_name=_("entreprise")
    )
    attribute = models.CharField(_("donnée"), max_length=20, choices=Attribute.choices)
    value = models.JSONField(_("valeur"))
    observed_on = models.DateField(_("date du constat"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    recorded_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("donnée du profil export")
        verbose_name_plural = _("données du profil export")
        ordering = ["-observed_on", "-recorded_at", "-pk"]
        indexes = [
            models.Index(
                fields=["company", "attribute", "-observed_on"], name="companies_fact_latest_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} = {self.value} ({self.observed_on})"


@audited()
class Contact(models.Model):
    """A person to talk to in a company. Personal data: every read is audited."""

    class LegalBasis(models.TextChoices):
        LEGITIMATE_INTEREST = (
            "legitimate_interest",
            _("Intérêt légitime (mission de service public)"),
        )
        CONSENT = "consent", _("Consentement")
        CONTRACT = "contract", _("Exécution d'un contrat ou d'une demande")
        PUBLIC_TASK = "public_task", _("Mission d'intérêt public")

    class Source(models.TextChoices):
        COMPANY = "company", _("Communiqué par l'entreprise")
        ADVISOR = "advisor", _("Rencontre avec un conseiller")
        EVENT = "event", _("Événement")
        DESK = "desk", _("Demande au guichet")
        PUBLIC = "public", _("Source publique")
        OTHER = "other", _("Autre")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("entreprise")
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    job_title = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    legal_basis = models.CharField(_("base légale"), max_length=20, choices=LegalBasis.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    last_contact_on = models.DateField(_("dernier contact"), null=True, blank=True)
    opted_out = models.BooleanField(_("ne souhaite plus être sollicité"), default=False)
    opted_out_at = models.DateTimeField(_("opposition le"), null=True, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation qui l'a saisi"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ImportRun(models.Model):
    """A SIRENE import started from the web (or recorded by the command): progress, report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    wet_run = models.BooleanField(_("écriture en base"), default=False)
    unites_legales_path = models.CharField(_("fichier des unités légales"), max_length=500)
    etablissements_path = models.CharField(_("fichier des établissements"), max_length=500)
    regions = models.JSONField(_("régions"), default=list, blank=True)
    departements = models.JSONField(_("départements"), default=list, blank=True)
    bytes_total = models.BigIntegerField(_("taille à lire"), default=0)
    bytes_read = models.BigIntegerField(_("octets lus"), default=0)
    rows_read = models.BigIntegerField(_("lignes lues"), default=0)
    phase = models.CharField(_("étape"), max_length=100, blank=True)
    report = models.JSONField(_("rapport"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lancé par"),
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import SIRENE")
        verbose_name_plural = _("imports SIRENE")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import SIRENE du {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        if not self.bytes_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, int(100 * self.bytes_read / self.bytes_total))
