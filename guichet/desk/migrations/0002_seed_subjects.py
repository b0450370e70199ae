"""The subjects a company can choose on the public form (administrators may edit the list)."""

from django.db import migrations

SUBJECTS = [
    ("clients-etranger", "Trouver des clients à l'étranger", "Prospection, identification d'acheteurs ou de distributeurs."),
    ("strategie-diagnostic", "Préparer une stratégie export ou un diagnostic", "Faire le point sur votre capacité à exporter et choisir vos marchés."),
    ("salon-mission", "Participer à un salon ou à une mission", "Pavillons régionaux, missions de prospection, rencontres d'affaires."),
    ("financer-prospection", "Financer la prospection", "Aides régionales, assurance prospection, prêts."),
    ("assurance-garanties", "Assurance et garanties", "Assurance-crédit, garanties de cautions et de préfinancement, risque de change."),
    ("recruter-vie", "Recruter un V.I.E. ou un responsable export", "Volontariat international en entreprise, recrutement de compétences export."),
    ("reglementation-douane", "Réglementation, douane et normes", "Formalités douanières, origine, normes et certifications des marchés visés."),
    ("propriete-intellectuelle", "Protéger la propriété intellectuelle à l'étranger", "Marques, brevets, dessins et modèles hors de France."),
    ("partenaires-implantation", "Trouver des partenaires ou s'implanter", "Partenaires locaux, filiale, bureau de représentation."),
    ("autre", "Autre besoin", "Décrivez votre besoin : nous trouverons le bon interlocuteur."),
]


def seed(apps, schema_editor):
    Subject = apps.get_model("desk", "Subject")
    for order, (code, label, description) in enumerate(SUBJECTS, start=1):
        Subject.objects.update_or_create(
            code=code, defaults={"label": label, "description": description, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
