from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"
    verbose_name = "Socle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.core import audit, home_panels

        audit.connect_signals()
        home_panels.register_default_panels()
