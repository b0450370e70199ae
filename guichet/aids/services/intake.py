"""Filing an application: a draft made by an advisor for a company or by the company itself
(account-less form, then its signed link), filled with planned expenses, documents and the
declaration of the de minimis aid received elsewhere, then submitted — or completed when the
instructor found it incomplete.

Every write checks that the file may still be changed (draft or incomplete), locks the row,
and leaves the file unchanged when it refuses (French messages, per field)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from guichet.aids import mail
from guichet.aids.models import (
    AidScheme,
    Application,
    ApplicationStatus,
    CostCategory,
    DeclaredAid,
    FiledBy,
    MissingItem,
    PlannedExpense,
)
from guichet.aids.services.documents import (
    NOT_EDITABLE,
    application_document_add,
    discard_stored,
    upload_problem,
)
from guichet.aids.services.schemes import scheme_closed_reason
from guichet.aids.services.states import COMPANY_EDITABLE, application_log, application_move
from guichet.core.money import euros
from guichet.stateaid.models import GrantSource, Regulation, StateAidGrant
from guichet.stateaid.rules import window_start
from guichet.stateaid.services import state_aid_grant_record, state_aid_grants_cancel_for

PROJECT_FIELDS = (
    "title",
    "description",
    "is_extension",
    "project_start",
    "project_end",
    "hired_on",
    "export_share",
    "requested_amount",
    "contact_name",
    "contact_email",
    "contact_phone",
)
NOT_IN_REGISTRY = (
    "Nous ne trouvons pas d'établissement avec ce SIRET dans le fichier des entreprises de la "
    "plateforme. Vérifiez le numéro (il figure sur un extrait Kbis ou une facture) ; s'il est "
    "juste, contactez le guichet export, qui enregistrera votre entreprise."
)


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("scheme", "company", "organisation")
        .get(pk=application.pk)
    )


def _editable(application: Application) -> None:
    if application.status not in COMPANY_EDITABLE:
        raise ValidationError({"__all__": [NOT_EDITABLE]})


def _declared_ref(aid: DeclaredAid) -> str:
    return f"aids.declared:{aid.pk}"


# --- the project ---------------------------------------------------------------------------


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors[field] = ["Saisissez un nombre (ex. 12500 ou 12 500,50)."]
        return None
    return number


def _project_values(values: dict) -> tuple[dict, dict]:
    """Normalised values and their errors (dates in order, nothing negative, hiring past)."""
    errors: dict[str, list[str]] = {}
    clean = dict(values)
    for name in ("title", "description", "contact_name", "contact_email", "contact_phone"):
        if name in clean:
            clean[name] = (clean[name] or "").strip()
    if "title" in clean and not clean["title"]:
        errors["title"] = ["Indiquez l'intitulé du projet."]
    if "contact_name" in clean and not clean["contact_name"]:
        errors["contact_name"] = ["Indiquez le nom de la personne à contacter."]
    if "contact_email" in clean:
        clean["contact_email"] = clean["contact_email"].lower()
        try:
            validate_email(clean["contact_email"])
        except ValidationError:
            errors["contact_email"] = [
                "Saisissez une adresse électronique valide (nom@domaine.fr)."
            ]
    for name in ("requested_amount", "export_share"):
        if name in clean:
            clean[name] = _decimal(clean[name], name, errors)
    if clean.get("requested_amount") is not None and clean["requested_amount"] < 0:
        errors["requested_amount"] = ["Le montant demandé ne peut pas être négatif."]
    if "requested_amount" in clean and clean["requested_amount"] is None:
        clean["requested_amount"] = Decimal("0")
    share = clean.get("export_share")
    if share is not None and not Decimal("0") <= share <= Decimal("100"):
        errors["export_share"] = ["La part du chiffre d'affaires à l'export va de 0 à 100 %."]
    errors.update(_date_errors(clean.get("project_start"), clean.get("project_end")))
    hired_on = clean.get("hired_on")
    if hired_on and hired_on > timezone.localdate():
        errors["hired_on"] = ["La date d'embauche ne peut pas être dans le futur."]
    return clean, errors


def _date_errors(start: date | None, end: date | None) -> dict:
    if start and end and start > end:
        return {
            "project_end": [
                f"La fin du programme ({end:%d/%m/%Y}) précède son début ({start:%d/%m/%Y})."
            ]
        }
    return {}


def application_create(
    *,
    scheme: AidScheme,
    company,
    filed_by: str,
    organisation,
    title: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    by=None,
    **project,
) -> Application:
    """A draft. An advisor's draft is followed by the advisor's organisation; a draft the
    company started itself by the scheme's provider."""
    unknown = set(project) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    values, errors = _project_values(
        {
            "title": title,
            "contact_name": contact_name,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
            **project,
        }
    )
    if not scheme.is_active:
        errors["scheme"] = [f"Le dispositif « {scheme.name} » est fermé : choisissez-en un autre."]
    if filed_by not in FiledBy.values:
        errors["filed_by"] = ["Indiquez qui dépose la demande."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = Application.objects.create(
            scheme=scheme,
            company=company,
            filed_by=filed_by,
            organisation=organisation,
            created_by=by,
            **values,
        )
        by_company = filed_by == FiledBy.COMPANY
        application_log(
            application=application,
            title="Demande d'aide commencée par l'entreprise"
            if by_company
            else "Demande d'aide commencée par un conseiller",
            by=by,
            by_company=by_company,
        )
    return application


def application_update(
    *, application: Application, by=None, by_company: bool = False, **fields
) -> Application:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked(application)
        _editable(locked)
        values, errors = _project_values(fields)
        if errors:
            raise ValidationError(errors)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*values, "updated_at"])
    return locked


# --- expenses and declarations ---------------------------------------------------------------


def expense_add(
    *,
    application: Application,
    category: CostCategory,
    description: str,
    amount,
    by=None,
    by_company: bool = False,
) -> PlannedExpense:
    errors: dict[str, list[str]] = {}
    description = " ".join((description or "").split())
    value = _decimal(amount, "amount", errors)
    if value is None and "amount" not in errors:
        errors["amount"] = ["Indiquez le montant hors taxes de la dépense."]
    elif value is not None and value <= 0:
        errors["amount"] = ["Le montant d'une dépense est positif (plus de 0 €)."]
    if not description:
        errors["description"] = ["Indiquez la nature de la dépense (ex. « Location du stand »)."]
    if category is None or category.scheme_id != application.scheme_id:
        errors["category"] = ["Choisissez une catégorie de dépenses de ce dispositif."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _editable(_locked(application))
        return PlannedExpense.objects.create(
            application=application, category=category, description=description[:200], amount=value
        )


def expense_remove(*, expense: PlannedExpense, by=None, by_company: bool = False) -> None:
    with transaction.atomic():
        _editable(_locked(expense.application))
        expense.delete()


def declared_aid_add(
    *,
    application: Application,
    granting_body: str,
    granted_on: date | None,
    amount,
    regulation: str,
    by=None,
    by_company: bool = False,
) -> DeclaredAid:
    """An aid received elsewhere in the last three years (it counts towards the ceilings)."""
    errors: dict[str, list[str]] = {}
    granting_body = " ".join((granting_body or "").split())
    value = _decimal(amount, "amount", errors)
    today = timezone.localdate()
    if not granting_body:
        errors["granting_body"] = ["Indiquez l'organisme qui a accordé l'aide."]
    if value is None and "amount" not in errors:
        errors["amount"] = ["Indiquez le montant de l'aide."]
    elif value is not None and value <= 0:
        errors["amount"] = ["Le montant de l'aide est positif (plus de 0 €)."]
    if granted_on is None:
        errors["granted_on"] = ["Indiquez la date d'octroi de l'aide."]
    elif granted_on > today:
        errors["granted_on"] = ["La date d'octroi ne peut pas être dans le futur."]
    elif granted_on < window_start(today):
        errors["granted_on"] = [
            f"Seules les aides accordées depuis le {window_start(today):%d/%m/%Y} (trois ans) "
            "sont à déclarer."
        ]
    if regulation not in Regulation.values:
        errors["regulation"] = ["Choisissez le règlement dont relève l'aide."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(application)
        _editable(locked)
        aid = DeclaredAid.objects.create(
            application=locked,
            granting_body=granting_body[:200],
            granted_on=granted_on,
            amount=value,
            regulation=regulation,
        )
        if locked.declared_no_other_aid:
            locked.declared_no_other_aid = False
            locked.save(update_fields=["declared_no_other_aid", "updated_at"])
    return aid


def declared_aid_remove(*, aid: DeclaredAid, by=None, by_company: bool = False) -> None:
    """An aid already written to the ledger (file submitted, then incomplete) is cancelled
    there too."""
    with transaction.atomic():
        _editable(_locked(aid.application))
        ref = _declared_ref(aid)
        aid.delete()
        if StateAidGrant.objects.filter(source_ref=ref).exists():
            state_aid_grants_cancel_for(
                source_ref=ref, reason="Aide retirée de sa déclaration par l'entreprise", by=by
            )


def application_declare_no_other_aid(
    *, application: Application, value: bool, by=None, by_company: bool = False
) -> Application:
    with transaction.atomic():
        locked = _locked(application)
        _editable(locked)
        if value and locked.declared_aids.exists():
            raise ValidationError(
                {
                    "declared_no_other_aid": [
                        "Vous avez déclaré des aides reçues : retirez-les avant d'indiquer "
                        "n'en avoir reçu aucune."
                    ]
                }
            )
        locked.declared_no_other_aid = bool(value)
        locked.save(update_fields=["declared_no_other_aid", "updated_at"])
    return locked


# --- submission ------------------------------------------------------------------------------


def submission_problems(application: Application, *, check_open: bool = True) -> dict:
    """What still prevents submitting, by part of the file (French messages)."""
    problems: dict[str, list[str]] = {}
    scheme = application.scheme
    expenses = list(application.expenses.all())
    total = sum((e.amount for e in expenses), Decimal("0"))
    if not expenses:
        problems["expenses"] = ["Ajoutez au moins une dépense prévue."]
    requested = application.requested_amount or Decimal("0")
    if requested <= 0:
        problems["requested_amount"] = ["Indiquez le montant d'aide demandé (plus de 0 €)."]
    elif expenses and requested > total:
        problems["requested_amount"] = [
            f"Le montant demandé ({euros(requested)}) dépasse le total des dépenses prévues "
            f"({euros(total)})."
        ]
    provided = set(application.documents.values_list("required_id", flat=True))
    missing = [
        d.label for d in scheme.required_documents.all() if d.mandatory and d.pk not in provided
    ]
    if missing:
        problems["documents"] = [f"Pièce obligatoire manquante : {label}." for label in missing]
    if not application.declared_no_other_aid and not application.declared_aids.exists():
        problems["declarations"] = [
            "Déclarez les aides de minimis reçues ces trois dernières années, ou indiquez n'en "
            "avoir reçu aucune."
        ]
    dates = _date_errors(application.project_start, application.project_end)
    if application.hired_on and application.hired_on > timezone.localdate():
        dates.setdefault("project_end", []).append(
            "La date d'embauche ne peut pas être dans le futur."
        )
    if dates:
        problems["dates"] = dates["project_end"]
    if check_open:
        reason = scheme_closed_reason(scheme, timezone.localdate())
        if reason:
            problems["scheme"] = [reason]
    return problems


def _record_declared_aids(application: Application, by) -> None:
    """Each declared aid becomes a ledger line (once): it counts towards the ceilings."""
    for aid in application.declared_aids.all():
        ref = _declared_ref(aid)
        if StateAidGrant.objects.filter(source_ref=ref, cancelled_at__isnull=True).exists():
            continue
        state_aid_grant_record(
            company=application.company,
            granted_on=aid.granted_on,
            amount=aid.amount,
            regulation=aid.regulation,
            granting_body=aid.granting_body,
            source=GrantSource.DECLARED,
            description=f"Aide déclarée dans la demande {application.reference}",
            source_ref=ref,
            by=by,
        )


def application_submit(
    *, application: Application, by=None, by_company: bool = False
) -> Application:
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != ApplicationStatus.DRAFT:
            raise ValidationError(
                {"__all__": [f"Ce dossier est « {locked.get_status_display()} » : déjà déposé."]}
            )
        problems = submission_problems(locked)
        if problems:
            raise ValidationError(problems)
        application_move(
            application=locked,
            to=ApplicationStatus.SUBMITTED,
            by=by,
            by_company=by_company,
            title="Demande déposée",
            text=f"Montant demandé : {euros(locked.requested_amount)}.",
        )
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at", "updated_at"])
        _record_declared_aids(locked, by)
        pk = locked.pk
        transaction.on_commit(lambda: mail.send_acknowledgement(pk))
    return locked


@dataclass
class Answer:
    """The company's answer to one missing item: a document, a text, or both."""

    text: str = ""
    upload: object = None


def _answer_errors(items: list[MissingItem], answers: dict) -> dict:
    errors: dict[str, list[str]] = {}
    for item in items:
        answer = answers.get(item.pk) or Answer()
        key = f"item_{item.pk}"
        if answer.upload is not None:
            problem = upload_problem(answer.upload)
            if problem:
                errors[key] = [problem]
        elif not (answer.text or "").strip():
            errors[key] = [f"Répondez à « {item.label} » : joignez le document ou écrivez."]
    return errors


def application_complete(
    *, application: Application, by_company: bool, answers: dict, by=None
) -> Application:
    """The incomplete file comes back: each missing item answered (document or text), then
    the file is submitted again. Any refusal leaves everything as it was."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(application)
            if locked.status != ApplicationStatus.INCOMPLETE:
                raise ValidationError(
                    {"__all__": ["Ce dossier n'attend aucun complément : il n'est pas incomplet."]}
                )
            items = list(locked.missing_items.filter(resolved_at__isnull=True))
            errors = _answer_errors(items, answers)
            if errors:
                raise ValidationError(errors)
            lines = []
            for item in items:
                answer = answers.get(item.pk) or Answer()
                if answer.upload is not None:
                    document = application_document_add(
                        application=locked,
                        upload=answer.upload,
                        label=item.label,
                        required=item.required,
                        by=by,
                        by_company=by_company,
                    )
                    stored.append(document.file.name)
                    lines.append(f"{item.label} : document « {document.original_name} »")
                if (answer.text or "").strip():
                    lines.append(f"{item.label} : {answer.text.strip()}")
                item.resolved_at = timezone.now()
                item.save(update_fields=["resolved_at"])
            problems = submission_problems(locked, check_open=False)
            if problems:
                raise ValidationError(problems)
            application_move(
                application=locked,
                to=ApplicationStatus.SUBMITTED,
                by=by,
                by_company=by_company,
                title="Dossier complété et renvoyé",
                text="\n".join(lines),
            )
            _record_declared_aids(locked, by)
            pk = locked.pk
            transaction.on_commit(lambda: mail.send_acknowledgement(pk, completed=True))
    except Exception:
        discard_stored(stored)
        raise
    return locked


# --- the company's link and account-less filing ---------------------------------------------


def application_link_send(*, application: Application, by=None, revoke: bool = False) -> None:
    """E-mail the contact the link to the file; `revoke` first invalidates every link sent."""
    import secrets

    with transaction.atomic():
        locked = _locked(application)
        if revoke:
            locked.access_nonce = secrets.token_hex(16)
            locked.save(update_fields=["access_nonce", "updated_at"])
        application_log(
            application=locked,
            title="Nouveau lien envoyé à l'entreprise" if revoke else "Lien envoyé à l'entreprise",
            by=by,
            timeline=False,
        )
        pk = locked.pk
        transaction.on_commit(lambda: mail.send_link(pk))


def application_file_by_company(
    *,
    scheme: AidScheme,
    siret: str,
    title: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
) -> Application:
    """The account-less form: a draft for the registry company of that SIRET, followed by the
    scheme's provider; the link goes to the address typed. The same person asking again for
    the same scheme gets the link of the draft already started."""
    from guichet.companies.models import Establishment

    establishment = Establishment.objects.select_related("company").filter(siret=siret).first()
    if establishment is None or not establishment.company.is_active:
        raise ValidationError({"siret": [NOT_IN_REGISTRY]})
    reason = scheme_closed_reason(scheme, timezone.localdate())
    if reason:
        raise ValidationError({"scheme": [reason]})
    company = establishment.company
    existing = Application.objects.filter(
        company=company,
        scheme=scheme,
        status=ApplicationStatus.DRAFT,
        filed_by=FiledBy.COMPANY,
        contact_email__iexact=(contact_email or "").strip(),
    ).first()
    with transaction.atomic():
        application = existing or application_create(
            scheme=scheme,
            company=company,
            filed_by=FiledBy.COMPANY,
            organisation=scheme.provider,
            title=title,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
        )
        pk = application.pk
        transaction.on_commit(lambda: mail.send_link(pk))
    return application
