from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "guichet.offers"
    label = "offers"
    verbose_name = "Catalogue des offres"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.companies.sections import CompanySection, register_company_section
        from guichet.core.registry import NavEntry, register_nav
        from guichet.offers import permissions
        from guichet.offers.sections import company_offers_section

        register_nav(
            NavEntry(
                label="Offres",
                url_name="offers:catalogue",
                order=300,
                visible=permissions.can_view_catalogue,
                active_prefix="/offres/",
            )
        )
        register_company_section(
            CompanySection(
                key="offers",
                template="offers/_company_section.html",
                order=40,
                context=company_offers_section,
            )
        )
