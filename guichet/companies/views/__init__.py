"""Views of the company registry, one module per concept: search, company file, filières,
SIRENE imports."""
