from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "guichet.partners"
    label = "partners"
    verbose_name = "Partenaires et accès"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.core.permissions import is_platform_admin
        from guichet.core.registry import HomePanel, NavEntry, register_home_panel, register_nav
        from guichet.partners import permissions, selectors

        register_nav(
            NavEntry(
                label="Partenaires",
                url_name="partners:organisation_list",
                order=900,
                visible=permissions.can_view_directory,
                active_prefix="/partenaires/",
            )
        )
        register_nav(
            NavEntry(
                label="Administration",
                url_name="partners:user_list",
                order=1000,
                visible=is_platform_admin,
                active_prefix="/administration/",
            )
        )

        def key_figures(user):
            if not permissions.can_view_key_figures(user):
                return None
            return {"figures": selectors.key_figures()}

        def admin_shortcuts(user):
            return {} if is_platform_admin(user) else None

        register_home_panel(
            HomePanel(
                key="key_figures",
                template="partners/panels/key_figures.html",
                order=5,
                context=key_figures,
            )
        )
        register_home_panel(
            HomePanel(
                key="administration",
                template="partners/panels/administration.html",
                order=50,
                context=admin_shortcuts,
            )
        )
