from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "guichet.collective"
    label = "collective"
    verbose_name = "Actions collectives"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.collective.permissions import can_view_actions
        from guichet.core.registry import NavEntry, register_nav

        register_nav(
            NavEntry(
                label="Actions collectives",
                url_name="collective:actions",
                order=450,
                visible=can_view_actions,
                active_prefix="/actions-collectives/",
            )
        )
