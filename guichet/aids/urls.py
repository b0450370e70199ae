from django.urls import path  # noqa: F401

app_name = "aids"

urlpatterns: list = []

from guichet.aids.urls_intake import urlpatterns as _intake  # noqa: E402

urlpatterns += _intake

from guichet.aids.urls_instruction import urlpatterns as _instruction  # noqa: E402

urlpatterns += _instruction

from guichet.aids.urls_money import urlpatterns as _money  # noqa: E402

urlpatterns += _money
