from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "guichet.plans"
    label = "plans"
    verbose_name = "Plan d'action et indicateurs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.core.registry import NavEntry, register_nav
        from guichet.plans import computations, permissions

        computations.load_all()
        register_nav(
            NavEntry(
                label="Plan et indicateurs",
                url_name="plans:plan_list",
                order=900,
                visible=permissions.can_view_plans,
                active_prefix="/plans/",
            )
        )
