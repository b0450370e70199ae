"""The client address behind trusted proxies (login throttling, public rate limits)."""

from django.test import RequestFactory

from guichet.core.http import client_ip


def test_without_proxy_the_socket_address_is_used(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "198.51.100.4"


def test_behind_one_proxy_the_address_it_saw_is_used_not_the_client_forged_ones(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"


def test_a_malformed_header_falls_back_to_the_socket(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="n'importe")
    assert client_ip(request) == "10.0.0.2"
