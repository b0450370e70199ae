from django.apps import AppConfig


class StateAidConfig(AppConfig):
    name = "guichet.stateaid"
    label = "stateaid"
    verbose_name = "Registre des aides d'État"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.companies.sections import CompanySection, register_company_section
        from guichet.core.registry import NavEntry, register_nav
        from guichet.stateaid import permissions
        from guichet.stateaid.sections import stateaid_section

        register_company_section(
            CompanySection(
                key="stateaid",
                template="stateaid/_company_section.html",
                order=40,
                context=stateaid_section,
            )
        )
        register_nav(
            NavEntry(
                label="Aides d'État",
                url_name="stateaid:groups",
                order=330,
                visible=permissions.can_manage_undertakings,
                active_prefix="/aides-d-etat/",
            )
        )
