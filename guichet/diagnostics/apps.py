from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "guichet.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics export"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.companies.sections import CompanySection, register_company_section
        from guichet.core.registry import NavEntry, register_nav
        from guichet.diagnostics import permissions
        from guichet.diagnostics.sections import diagnostics_section

        register_company_section(
            CompanySection(
                key="diagnostics",
                template="diagnostics/fill/_company_section.html",
                order=30,
                context=diagnostics_section,
            )
        )
        register_nav(
            NavEntry(
                label="Questionnaires",
                url_name="diagnostics:questionnaires",
                order=400,
                visible=permissions.can_manage_questionnaires,
                active_prefix="/diagnostics/questionnaires/",
            )
        )
