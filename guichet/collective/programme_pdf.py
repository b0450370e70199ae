"""The published programme as a printable PDF: the same content as the public page (published
actions grouped by month, no personal data). WeasyPrint renders a template that names nothing
outside itself: fonts are the machine's (DejaVu), and any attempt to fetch a URL is refused."""

from django.template.loader import render_to_string
from django.utils import timezone

from guichet.collective import selectors
from guichet.collective.models import Programme


class ExternalResourceRefused(Exception):
    pass


def _refuse_fetch(url: str, *args, **kwargs):
    raise ExternalResourceRefused(f"Ressource externe refusée dans le programme : {url}")


def programme_html(programme: Programme, *, site_url: str = "") -> str:
    actions = selectors.with_names(selectors.public_actions(programme))
    return render_to_string(
        "collective/pdf/programme.html",
        {
            "programme": programme,
            "months": selectors.by_month(actions),
            "count": len(actions),
            "generated_on": timezone.localdate(),
            "site_url": site_url,
        },
    )


def programme_pdf(programme: Programme, *, site_url: str = "", **options) -> bytes:
    from weasyprint import HTML

    html = programme_html(programme, site_url=site_url)
    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(**options)


def programme_filename(programme: Programme) -> str:
    return f"programme-actions-collectives-{programme.year}.pdf"
