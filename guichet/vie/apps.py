from django.apps import AppConfig


class VieConfig(AppConfig):
    name = "guichet.vie"
    label = "vie"
    verbose_name = "V.I.E. et sensibilisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.companies.sections import CompanySection, register_company_section
        from guichet.core.registry import NavEntry, register_nav
        from guichet.vie import permissions
        from guichet.vie.sections import missions_section

        register_nav(
            NavEntry(
                label="V.I.E.",
                url_name="vie:missions",
                order=550,
                visible=permissions.can_view_vie,
                active_prefix="/vie/",
            )
        )
        register_company_section(
            CompanySection(
                key="vie",
                template="vie/sections/missions.html",
                order=45,
                context=missions_section,
            )
        )
