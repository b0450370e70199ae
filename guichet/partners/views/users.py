from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from guichet.core import audit
from guichet.core.exports import FORMATS, export_response
from guichet.core.models import AuditEvent
from guichet.core.permissions import require
from guichet.partners import permissions, selectors, services
from guichet.partners.forms import RoleSecondFactorForm, UserForm
from guichet.partners.models import Organisation, Role, User


def user_list(request):
    require(permissions.can_manage_users(request.user))
    organisation = request.GET.get("organisation", "")
    role = request.GET.get("role", "")
    text = request.GET.get("q", "").strip()[:100]
    users = selectors.users_list(organisation=organisation, role=role, text=text)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        audit.record(action=AuditEvent.Action.EXPORT, object_type="partners.User")
        return export_response(
            rows=(
                (
                    u.last_name,
                    u.first_name,
                    u.email,
                    u.organisation.name if u.organisation else "",
                    ", ".join(str(r) for r in u.roles.all()),
                    "oui" if u.is_active else "non",
                    u.last_login,
                )
                for u in users
            ),
            headers=[
                "Nom",
                "Prénom",
                "Adresse",
                "Organisation",
                "Rôles",
                "Actif",
                "Dernière connexion",
            ],
            filename="utilisateurs",
            fmt=fmt,
        )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": "Utilisateurs",
        "page_obj": page,
        "organisations": Organisation.objects.order_by("name"),
        "roles": Role.Code.choices,
        "selected": {"organisation": organisation, "role": role, "q": text},
        "query": query.urlencode(),
    }
    return render(request, "partners/user_list.html", context)


def user_detail(request, pk: int):
    target = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    require(permissions.can_view_user(request.user, target))
    if target.pk != request.user.pk:
        audit.audit_view(obj=target)
    context = {
        "title": str(target),
        "target": target,
        "can_manage": permissions.can_manage_users(request.user),
        "handover_url": _handover_url(request.user, target),
    }
    return render(request, "partners/user_detail.html", context)


def _handover_url(user, target) -> str:
    """The link to hand a person's work over to a colleague (administrators, and managers of
    the person's organisation), when a capability registered that page."""
    from django.urls import reverse

    from guichet.partners.handover import handover_page

    page = handover_page()
    allowed = permissions.can_manage_users(user) or (
        user.has_role("manager") and user.organisation_id == target.organisation_id
    )
    return reverse(page, args=[target.pk]) if page and allowed and target.pk != user.pk else ""


def user_create(request):
    require(permissions.can_manage_users(request.user))
    initial = {}
    if slug := request.GET.get("organisation"):
        initial["organisation"] = Organisation.objects.filter(slug=slug).first()
    form = UserForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            organisation=data["organisation"],
            roles=data["roles"],
            is_active=data["is_active"],
        )
        invited = (
            "un courriel l'invite à choisir son mot de passe"
            if user.is_active
            else ("il est inactif : aucune invitation n'est envoyée")
        )
        messages.success(request, f"Le compte de {user} est créé ; {invited}.")
        return redirect("partners:user_detail", pk=user.pk)
    return render(request, "partners/user_form.html", {"title": "Nouvel utilisateur", "form": form})


def user_edit(request, pk: int):
    target = get_object_or_404(User, pk=pk)
    require(permissions.can_manage_users(request.user))
    form = UserForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.user_update(user=target, roles=data.pop("roles"), **data)
        messages.success(request, "Les modifications sont enregistrées.")
        return redirect("partners:user_detail", pk=target.pk)
    context = {"title": f"Modifier {target}", "form": form, "target": target}
    return render(request, "partners/user_form.html", context)


def role_settings(request):
    require(permissions.can_manage_users(request.user))
    roles = list(Role.objects.order_by("code"))
    initial = {"required_roles": [r.code for r in roles if r.requires_second_factor]}
    form = RoleSecondFactorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        required = set(form.cleaned_data["required_roles"])
        for role in roles:
            if role.requires_second_factor != (role.code in required):
                services.role_set_second_factor(role=role, required=role.code in required)
        messages.success(request, "Les exigences de double authentification sont enregistrées.")
        return redirect("partners:role_settings")
    context = {"title": "Rôles et double authentification", "form": form, "roles": roles}
    return render(request, "partners/role_settings.html", context)
