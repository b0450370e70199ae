"""Technical back office. SIRENE identity rows are read-only here: they come from the import."""

from django.contrib import admin

from guichet.companies.models import Company, Establishment, ImportRun
from guichet.reference.admin import ReadOnlyAdmin


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ["siren", "name", "naf", "size_category", "is_active", "export_status"]
    list_filter = ["is_active", "size_category", "export_status"]
    search_fields = ["siren", "name"]
    show_full_result_count = False


@admin.register(Establishment)
class EstablishmentAdmin(ReadOnlyAdmin):
    list_display = ["siret", "company", "commune_name", "departement", "is_headquarters"]
    list_select_related = ["company", "departement"]
    search_fields = ["siret"]
    raw_id_fields = ["company"]
    show_full_result_count = False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "status", "wet_run", "rows_read", "started_by"]
