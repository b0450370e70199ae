from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "guichet.desk"
    label = "desk"
    verbose_name = "Guichet unique"
    default_auto_field = "django.db.models.BigAutoField"
