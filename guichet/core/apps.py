from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"
    verbose_name = "Socle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import warnings

        # We opted into django-dsfr's future behaviour (DSFR_MARK_OPTIONAL_FIELDS); its
        # transitional warning would otherwise be logged at every form render.
        warnings.filterwarnings("ignore", message="Transitional Django setting DSFR_MARK")
        from guichet.core import audit, home_panels

        audit.connect_signals()
        home_panels.register_default_panels()
