"""Read-only admin pages: reference rows come from `load_reference_data`, never from a form."""

from django.contrib import admin

from guichet.reference.models import Country, Departement, HeadcountBand, NafCode, Region


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]


@admin.register(NafCode)
class NafCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "label", "parent_id"]
    list_filter = ["level"]
    search_fields = ["code", "label"]


@admin.register(HeadcountBand)
class HeadcountBandAdmin(ReadOnlyAdmin):
    list_display = ["code", "label", "min_employees", "max_employees"]


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ["iso2", "iso3", "numeric", "name_fr"]
    search_fields = ["iso2", "iso3", "numeric", "name_fr"]
