from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "guichet.journeys"
    label = "journeys"
    verbose_name = "Parcours et suivi des entreprises"
    default_auto_field = "django.db.models.BigAutoField"
