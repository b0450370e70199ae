"""`python manage.py load_geodist --path FILE [--dry-run] [--report FILE]`:
CEPII GeoDist distances (dist_cepii.csv).

Replaces the previous table unless the file is the same (then nothing is rewritten).
"""

from guichet.markets.loaders import load_geodist
from guichet.markets.loaders.cli import SingleFileLoadCommand


class Command(SingleFileLoadCommand):
    help = "Charge les distances bilatérales CEPII GeoDist (dist_cepii.csv)."
    loader = staticmethod(load_geodist)
