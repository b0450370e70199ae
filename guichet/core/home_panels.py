"""The home page blocks each role sees before the capabilities that fill them exist.

Each block says what will appear and how to start; the capability that brings the data
replaces the block by registering a panel with the same key.
"""

from guichet.core.registry import HomePanel, register_home_panel

_EMPTY_STATES = [
    (
        "portfolio",
        ("advisor",),
        10,
        "Mon portefeuille",
        "Les entreprises dont vous êtes le conseiller référent apparaîtront ici, avec leur étape "
        "de parcours et la date du dernier contact.",
        "Pour commencer, repérez une entreprise dans le fichier des entreprises et "
        "désignez-vous comme conseiller référent.",
    ),
    (
        "inbox",
        ("advisor", "expert"),
        20,
        "Ma boîte de réception",
        "Les besoins déposés par les entreprises sur le guichet unique et orientés vers votre "
        "organisation apparaîtront ici, avec le délai restant pour y répondre.",
        "Aucun besoin ne vous est adressé pour le moment : vous serez prévenu par courriel.",
    ),
    (
        "applications",
        ("instructor",),
        30,
        "Dossiers d'aide à instruire",
        "Les demandes d'aide individuelle à instruire apparaîtront ici, avec leur complétude "
        "et la marge disponible au titre des aides d'État.",
        "Les dossiers arrivent lorsqu'une entreprise ou un conseiller dépose une demande.",
    ),
]


def _role_panel(key, roles, order, title, what, how):
    def context(user):
        if not user.has_role(*roles):
            return None
        return {"title": title, "what": what, "how": how}

    return HomePanel(key=key, template="core/panels/empty_state.html", order=order, context=context)


def register_default_panels() -> None:
    for spec in _EMPTY_STATES:
        register_home_panel(_role_panel(*spec))
