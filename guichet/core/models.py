from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One line of the audit log: who created, changed, deleted or viewed what, and when.

    Append-only (RGPD accountability, PRODUCT.md capability 12): rows are never updated or
    deleted through the application, and no page edits them.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Création")
        UPDATE = "update", _("Modification")
        DELETE = "delete", _("Suppression")
        VIEW = "view", _("Consultation de données personnelles")
        EXPORT = "export", _("Export")
        LOGIN = "login", _("Connexion")

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("auteur (au moment des faits)"), max_length=300, blank=True)
    organisation_label = models.CharField(_("organisation de l'auteur"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=100, db_index=True)
    object_id = models.CharField(_("identifiant"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("objet"), max_length=300, blank=True)
    changes = models.JSONField(_("champs modifiés"), default=dict, blank=True)
    path = models.CharField(_("adresse de la requête"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
