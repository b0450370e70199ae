from django.apps import AppConfig


class StateAidConfig(AppConfig):
    name = "guichet.stateaid"
    label = "stateaid"
    verbose_name = "Registre des aides d'État"
    default_auto_field = "django.db.models.BigAutoField"
