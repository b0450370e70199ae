from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "guichet.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics export"
    default_auto_field = "django.db.models.BigAutoField"
