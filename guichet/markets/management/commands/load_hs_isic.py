"""`python manage.py load_hs_isic --path FILE`: load an official HS6 → ISIC rév. 4
concordance, which then takes precedence over the chapter table of guichet/markets/isic.py
(`--clear` goes back to the chapter table)."""

from django.core.management.base import BaseCommand, CommandError

from guichet.markets import isic


class Command(BaseCommand):
    help = (
        "Charge une table de correspondance SH6 → CITI rév. 4 (classes à 4 chiffres), par "
        "exemple celle de la Division de statistique des Nations unies ; elle remplace alors "
        "la correspondance par chapitre pour relier filières (NAF) et produits (SH)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", help="fichier CSV avec en-tête")
        parser.add_argument("--hs-column", help="colonne des codes SH6 (détectée sinon)")
        parser.add_argument("--isic-column", help="colonne des classes CITI (détectée sinon)")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="supprime la table chargée et revient à la correspondance par chapitre",
        )

    def handle(self, *args, **options):
        if options["clear"]:
            removed = isic.clear_concordance()
            self.stdout.write(
                "Table supprimée : la correspondance par chapitre s'applique."
                if removed
                else "Aucune table chargée : la correspondance par chapitre s'applique déjà."
            )
            return
        if not options["path"]:
            raise CommandError("Indiquez le fichier avec --path (ou --clear).")
        try:
            pairs, rejected, codes = isic.load_concordance(
                options["path"],
                hs_column=options["hs_column"],
                isic_column=options["isic_column"],
            )
        except isic.ConcordanceError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Correspondance chargée : {pairs} paires pour {codes} codes SH6 "
                f"({rejected} lignes rejetées)."
            )
        )
