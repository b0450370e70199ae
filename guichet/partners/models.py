import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited


@audited()
class Organisation(models.Model):
    """A partner of the regional export team (Région, CCI, Business France, pôle, …)."""

    class Kind(models.TextChoices):
        REGION = "region", _("Région")
        CCI = "cci", _("CCI")
        BUSINESS_FRANCE = "business_france", _("Business France")
        BPIFRANCE = "bpifrance", _("Bpifrance")
        CCE = "cce", _("Conseillers du commerce extérieur")
        POLE = "pole", _("Pôle de compétitivité")
        CLUSTER = "cluster", _("Cluster")
        AGENCY = "agency", _("Agence de développement")
        STATE = "state", _("État")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant court"), max_length=60, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    regions = models.ManyToManyField(
        "reference.Region", verbose_name=_("régions couvertes"), blank=True, related_name="+"
    )
    departements = models.ManyToManyField(
        "reference.Departement",
        verbose_name=_("départements couverts"),
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("organisation partenaire")
        verbose_name_plural = _("organisations partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@audited()
class Role(models.Model):
    """A role a user can hold. Rows are created by a data migration; codes never change."""

    class Code(models.TextChoices):
        ADVISOR = "advisor", _("Conseiller international")
        INSTRUCTOR = "instructor", _("Instructeur des aides")
        EXPERT = "expert", _("Expert partenaire")
        MANAGER = "manager", _("Pilote du plan")
        ADMIN = "admin", _("Administrateur")
        READONLY = "readonly", _("Lecture seule")

    code = models.CharField(_("code"), max_length=20, primary_key=True, choices=Code.choices)
    requires_second_factor = models.BooleanField(
        _("double authentification obligatoire"), default=False
    )

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.Code(self.code).label)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


@audited(masked=("password",))
class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: an agent of a partner organisation, identified by e-mail."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    roles = models.ManyToManyField(Role, verbose_name=_("rôles"), blank=True, related_name="users")
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration technique"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def role_codes(self) -> frozenset[str]:
        """Role codes, cached on the instance (prefetched by the request's user loader)."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = (
                frozenset(self.roles.values_list("code", flat=True)) if self.pk else frozenset()
            )
            self._role_codes = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))


def hash_api_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@audited(masked=("key_hash",))
class ApiKey(models.Model):
    """A key a partner's system sends as `Authorization: Bearer KEY`. Only its hash is kept."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(_("libellé"), max_length=100)
    prefix = models.CharField(_("préfixe"), max_length=12, db_index=True)
    key_hash = models.CharField(_("empreinte"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")
        ordering = ["organisation__name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
