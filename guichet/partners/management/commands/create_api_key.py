from django.core.management.base import BaseCommand, CommandError

from guichet.partners.models import Organisation
from guichet.partners.services import api_key_create


class Command(BaseCommand):
    help = "Crée une clé d'API pour une organisation et l'affiche une seule fois."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="identifiant court (slug)")
        parser.add_argument("--name", default="Clé créée en ligne de commande")

    def handle(self, *args, organisation, name, **options):
        found = Organisation.objects.filter(slug=organisation, is_active=True).first()
        if found is None:
            raise CommandError(f"Aucune organisation active avec l'identifiant « {organisation} ».")
        _key, raw = api_key_create(organisation=found, name=name)
        self.stdout.write(
            f"Clé d'API pour {found.name} (conservez-la, elle ne sera plus affichée) :"
        )
        self.stdout.write(raw)
