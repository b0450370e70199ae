from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """Reference data (référentiels): geography, NAF, SIRENE headcount bands, countries."""

    name = "guichet.reference"
    label = "reference"
    verbose_name = "Référentiels"
    default_auto_field = "django.db.models.BigAutoField"
