from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "guichet.journeys"
    label = "journeys"
    verbose_name = "Parcours et suivi des entreprises"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.companies.sections import CompanySection, register_company_section
        from guichet.core.registry import HomePanel, NavEntry, register_home_panel, register_nav
        from guichet.journeys import permissions
        from guichet.journeys.panels import portfolio_panel
        from guichet.journeys.sections import journey_section, timeline_section
        from guichet.partners.handover import Handover, register_handover

        register_company_section(
            CompanySection(
                key="journey",
                template="journeys/_journey_section.html",
                order=10,
                context=journey_section,
            )
        )
        register_company_section(
            CompanySection(
                key="timeline",
                template="journeys/_company_section.html",
                order=100,
                context=timeline_section,
            )
        )
        register_nav(
            NavEntry(
                label="Portefeuille",
                url_name="journeys:portfolio",
                order=150,
                visible=permissions.works_with_companies,
                active_prefix="/parcours/",
            )
        )
        register_nav(
            NavEntry(
                label="Entonnoir du parcours",
                url_name="journeys:funnel",
                order=160,
                visible=lambda user: (
                    permissions.can_view_funnel(user) and not permissions.works_with_companies(user)
                ),
                active_prefix="/parcours/entonnoir/",
            )
        )
        register_home_panel(
            HomePanel(
                key="portfolio",
                template="journeys/panels/portfolio.html",
                order=10,
                context=portfolio_panel,
            )
        )
        register_handover(
            Handover(
                key="portfolio",
                label="Portefeuille d'entreprises suivies",
                transfer=_hand_over_portfolio,
                pending=_portfolio_size,
            )
        )


def _hand_over_portfolio(*, from_user, to_user, by) -> dict[str, int]:
    """The whole portfolio and every open action; keys are the French words the hand-over
    page prints next to each count."""
    from guichet.journeys.services import journey_transfer

    moved = journey_transfer(from_user=from_user, to_user=to_user, by=by)
    return {
        "entreprise(s) suivie(s)": moved["journeys"],
        "action(s) à mener": moved["actions"],
    }


def _portfolio_size(user) -> int:
    from guichet.journeys.models import Journey

    return Journey.objects.filter(lead_advisor=user).count()
