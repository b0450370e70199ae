from django.apps import AppConfig


class AidsConfig(AppConfig):
    name = "guichet.aids"
    label = "aids"
    verbose_name = "Aides individuelles"
    default_auto_field = "django.db.models.BigAutoField"
