from django.apps import AppConfig


class VieConfig(AppConfig):
    name = "guichet.vie"
    label = "vie"
    verbose_name = "V.I.E. et sensibilisation"
    default_auto_field = "django.db.models.BigAutoField"
