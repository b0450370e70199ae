"""Template helpers shared by every capability."""

from django import template

register = template.Library()


@register.inclusion_tag("core/_export_buttons.html", takes_context=True)
def export_buttons(context):
    """The "Exporter en CSV / XLSX" buttons of a list: the current filters, every page."""
    request = context["request"]

    def url(fmt: str) -> str:
        params = request.GET.copy()
        params.pop("page", None)
        params["format"] = fmt
        return "?" + params.urlencode()

    return {"csv_url": url("csv"), "xlsx_url": url("xlsx")}


@register.filter
def euros(value):
    """{{ amount|euros }} → "12 683 €" (cents only when there are some)."""
    from guichet.core.money import euros as format_euros

    return format_euros(value)
