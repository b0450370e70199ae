from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "guichet.desk"
    label = "desk"
    verbose_name = "Guichet unique"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.companies.sections import CompanySection, register_company_section
        from guichet.core.registry import HomePanel, NavEntry, register_home_panel, register_nav
        from guichet.desk import permissions
        from guichet.desk.panels import inbox_panel
        from guichet.desk.sections import needs_section
        from guichet.partners.handover import Handover, register_handover, set_handover_page

        register_nav(
            NavEntry(
                label="Guichet",
                url_name="desk:inbox",
                order=200,
                visible=permissions.can_use_inbox,
                active_prefix="/guichet/",
            )
        )
        register_nav(
            NavEntry(
                label="Chiffres du guichet",
                url_name="desk:figures",
                order=210,
                visible=lambda user: (
                    permissions.can_view_figures(user) and not permissions.can_use_inbox(user)
                ),
                active_prefix="/guichet/chiffres/",
            )
        )
        register_home_panel(
            HomePanel(key="inbox", template="desk/panels/inbox.html", order=9, context=inbox_panel)
        )
        register_company_section(
            CompanySection(
                key="desk", template="desk/sections/needs.html", order=20, context=needs_section
            )
        )

        def transfer(*, from_user, to_user, by):
            from guichet.desk.services import desk_hand_over

            return desk_hand_over(from_user=from_user, to_user=to_user, by=by)

        def pending(user) -> int:
            from guichet.desk.models import OPEN_MATCH_STATUSES, Match

            return Match.objects.filter(assignee=user, status__in=OPEN_MATCH_STATUSES).count()

        register_handover(
            Handover(
                key="desk",
                label="Demandes du guichet en cours",
                transfer=transfer,
                pending=pending,
            )
        )
        set_handover_page("desk:hand_over")

        from guichet.core.registry import Retention, register_retention

        def anonymise():
            from guichet.desk.retention import needs_anonymise

            return needs_anonymise()

        def pending_needs():
            from guichet.desk.retention import needs_past_retention

            return needs_past_retention().count()

        register_retention(
            Retention(
                key="desk-needs",
                label="demande(s) au guichet",
                infinitive="anonymiser",
                done="anonymisée(s)",
                rule="3 ans après le dernier échange",
                pending=pending_needs,
                purge=anonymise,
            )
        )
