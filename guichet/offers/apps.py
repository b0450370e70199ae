from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "guichet.offers"
    label = "offers"
    verbose_name = "Catalogue des offres"
    default_auto_field = "django.db.models.BigAutoField"
