from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "guichet.markets"
    label = "markets"
    verbose_name = "Marchés et filières"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.core.registry import NavEntry, register_nav
        from guichet.markets import permissions

        register_nav(
            NavEntry(
                label="Marchés",
                url_name="markets:explorer",
                order=600,
                visible=permissions.can_view_markets,
                active_prefix="/marches/",
            )
        )
