from django.apps import AppConfig


class AidsConfig(AppConfig):
    name = "guichet.aids"
    label = "aids"
    verbose_name = "Aides individuelles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.aids.sections import aids_section
        from guichet.companies.sections import CompanySection, register_company_section

        register_company_section(
            CompanySection(
                key="aids",
                template="aids/filing/_company_section.html",
                order=35,
                context=aids_section,
            )
        )

        from guichet.aids.permissions import can_list_applications
        from guichet.core.registry import NavEntry, register_nav

        register_nav(
            NavEntry(
                label="Aides",
                url_name="aids:applications",
                order=350,
                visible=can_list_applications,
                active_prefix="/aides/",
            )
        )

        from guichet.aids.permissions import can_view_envelopes

        # Read-only members follow the envelopes without listing files: their own entry.
        register_nav(
            NavEntry(
                label="Enveloppes des aides",
                url_name="aids:envelopes",
                order=355,
                visible=lambda user: can_view_envelopes(user) and not can_list_applications(user),
                active_prefix="/aides/enveloppes/",
            )
        )

        from guichet.core.registry import Retention, register_retention

        def anonymise():
            from guichet.aids.retention import applications_anonymise

            return applications_anonymise()

        def pending():
            from guichet.aids.retention import applications_past_retention

            return applications_past_retention().count()

        register_retention(
            Retention(
                key="aid-applications",
                label="contact(s) de demandes d'aide",
                infinitive="effacer",
                done="effacé(s)",
                rule="10 ans après la fin du dossier d'aide",
                pending=pending,
                purge=anonymise,
            )
        )
