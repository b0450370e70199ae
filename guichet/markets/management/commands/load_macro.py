"""`python manage.py load_macro --path FILE [--dry-run] [--report FILE]`:
GDP and population by country and year (or Gapminder).

Replaces the previous table unless the file is the same (then nothing is rewritten).
"""

from guichet.markets.loaders import load_macro
from guichet.markets.loaders.cli import SingleFileLoadCommand


class Command(SingleFileLoadCommand):
    help = "Charge un fichier PIB et population par pays et année (ou Gapminder)."
    loader = staticmethod(load_macro)
