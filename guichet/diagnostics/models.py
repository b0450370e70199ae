"""Export diagnostics (capability 4): questionnaires as versioned data, diagnostics of a
company with their answers, scores and action plan.

A published questionnaire version never changes (services refuse it); a diagnostic keeps the
version it was answered with, so later versions never change old results."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audited


class Questionnaire(models.Model):
    slug = models.SlugField(_("identifiant court"), max_length=60, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


@audited()
class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        RETIRED = "retired", _("Retirée")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scoring_notes = models.TextField(_("explication du calcul des scores"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version de questionnaire")
        verbose_name_plural = _("versions de questionnaire")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="diagnostics_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} — version {self.number}"


class Dimension(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=150)
    description = models.TextField(_("ce qu'elle mesure"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    weight = models.DecimalField(_("poids"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="diagnostics_dimension_code")
        ]

    def __str__(self) -> str:
        return self.label


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiple")
        SCALE = "scale", _("Échelle")
        NUMBER = "number", _("Nombre")
        TEXT = "text", _("Texte libre")

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("aide"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    weight = models.DecimalField(_("poids"), max_digits=5, decimal_places=2, default=1)
    required = models.BooleanField(_("obligatoire"), default=True)
    scale_min = models.SmallIntegerField(_("échelle : minimum"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("échelle : maximum"), null=True, blank=True)
    # NUMBER: [[upper bound (inclusive) or null for "above", score 0..1], …] in order.
    number_bands = models.JSONField(_("tranches de score (nombre)"), default=list, blank=True)
    unit = models.CharField(_("unité"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "dimension__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="diagnostics_question_code")
        ]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("réponse"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    score = models.DecimalField(_("score (0 à 1)"), max_digits=4, decimal_places=3, default=0)
    recommendation = models.TextField(_("recommandation si choisie"), blank=True)

    class Meta:
        verbose_name = _("réponse possible")
        verbose_name_plural = _("réponses possibles")
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="diagnostics_option_code")
        ]

    def __str__(self) -> str:
        return self.label


def new_access_nonce() -> str:
    return secrets.token_urlsafe(16)


@audited()
class Diagnostic(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("En cours")
        COMPLETED = "completed", _("Terminé")
        SHARED = "shared", _("Plan d'action transmis à l'entreprise")

    class FilledBy(models.TextChoices):
        ADVISOR = "advisor", _("Conseiller, en rendez-vous")
        COMPANY = "company", _("Entreprise, par lien")

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        related_name="diagnostics",
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="diagnostics",
    )
    advisor = models.ForeignKey(
        "partners.User",
        verbose_name=_("conseiller"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnostics",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    filled_by = models.CharField(_("rempli par"), max_length=10, choices=FilledBy.choices)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    shared_at = models.DateTimeField(_("transmis le"), null=True, blank=True)
    # When the company sent its answers through its link: its part is over, the advisor
    # completes the diagnostic.
    company_submitted_at = models.DateTimeField(
        _("réponses de l'entreprise envoyées le"), null=True, blank=True
    )
    # Results, computed at completion from the answers and the version's scores.
    scores = models.JSONField(_("scores par dimension (0 à 100)"), default=dict, blank=True)
    overall_score = models.DecimalField(
        _("score global (0 à 100)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    level = models.CharField(_("niveau de maturité"), max_length=20, blank=True)
    target_countries = models.ManyToManyField(
        "reference.Country", verbose_name=_("pays cibles"), blank=True, related_name="+"
    )
    summary = models.TextField(_("synthèse du conseiller"), blank=True)
    # The company's signed link names this nonce; a new nonce revokes older links.
    access_nonce = models.CharField(max_length=32, default=new_access_nonce, editable=False)

    class Meta:
        verbose_name = _("diagnostic export")
        verbose_name_plural = _("diagnostics export")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Diagnostic {self.company} du {self.started_at:%d/%m/%Y}"


class Answer(models.Model):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    options = models.ManyToManyField(Option, blank=True, related_name="answers")
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "question"], name="diagnostics_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.diagnostic_id} / {self.question.code}"


class PlanItem(models.Model):
    """A line of the action plan: a recommended offer or a next step with its owner."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offre recommandée")
        STEP = "step", _("Étape suivante")

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="plan_items")
    kind = models.CharField(_("type"), max_length=6, choices=Kind.choices)
    offer = models.ForeignKey(
        "offers.Offer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dimension = models.CharField(_("dimension"), max_length=40, blank=True)
    title = models.CharField(_("intitulé"), max_length=200)
    why = models.CharField(_("pourquoi"), max_length=300, blank=True)
    owner = models.CharField(_("qui"), max_length=150, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("ligne du plan d'action")
        verbose_name_plural = _("lignes du plan d'action")
        ordering = ["diagnostic", "order", "pk"]

    def __str__(self) -> str:
        return self.title
