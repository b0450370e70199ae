from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "guichet.collective"
    label = "collective"
    verbose_name = "Actions collectives"
    default_auto_field = "django.db.models.BigAutoField"
