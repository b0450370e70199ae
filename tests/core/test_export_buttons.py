"""The export buttons keep the list's filters, drop the page number, and name both formats."""

from django.template import Context, Template
from django.test import RequestFactory


def test_buttons_keep_filters_and_drop_the_page():
    request = RequestFactory().get("/liste/", {"q": "fromage & co", "page": "3", "dep": "21"})
    html = Template("{% load guichet %}<ul>{% export_buttons %}</ul>").render(
        Context({"request": request})
    )
    assert 'href="?q=fromage+%26+co&amp;dep=21&amp;format=csv">Exporter en CSV</a>' in html
    assert 'href="?q=fromage+%26+co&amp;dep=21&amp;format=xlsx">Exporter en XLSX</a>' in html
    assert "page=" not in html
