"""Single undertakings: companies linked by control whose aids count together against the
ceilings. Instructors, managers and administrators create them and link or unlink companies
(with the reason); every member who may open a company file reads them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.companies.models import Company
from guichet.core.permissions import require
from guichet.stateaid import permissions, selectors, services
from guichet.stateaid.forms import LinkCompanyForm, UndertakingGroupForm, UnlinkCompanyForm
from guichet.stateaid.models import DE_MINIMIS_REGULATIONS, UndertakingGroup
from guichet.stateaid.sections import positions_context
from guichet.stateaid.views.common import add_errors, groups_breadcrumb, over_ceiling_messages


def groups(request):
    require(permissions.can_view_undertakings(request.user))
    can_manage = permissions.can_manage_undertakings(request.user)
    form = UndertakingGroupForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            try:
                group = services.undertaking_group_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"L'entreprise unique « {group.name} » est créée : rattachez-lui maintenant "
                    f"ses entreprises par leur SIREN.",
                )
                return redirect("stateaid:group_detail", pk=group.pk)
    context = {
        "title": "Entreprises uniques",
        "breadcrumb_data": groups_breadcrumb(),
        "groups": list(selectors.groups_overview()),
        "form": form,
        "can_manage": can_manage,
        "can_export": permissions.can_export_register(request.user),
    }
    return render(request, "stateaid/groups.html", context)


def _member_rows(group: UndertakingGroup, at) -> list[dict]:
    rows = []
    for membership in selectors.group_members(group):
        own = selectors.own_totals_at(membership.company, at=at)
        rows.append(
            {
                "membership": membership,
                "company": membership.company,
                "de_minimis": sum(own.get(code, 0) for code in DE_MINIMIS_REGULATIONS),
            }
        )
    return rows


def _detail(request, group: UndertakingGroup, *, link_form=None, unlink_form=None):
    at = timezone.localdate()
    members = _member_rows(group, at)
    can_manage = permissions.can_manage_undertakings(request.user)
    memberships = [row["membership"] for row in members]
    if can_manage:
        link_form = link_form or LinkCompanyForm()
        unlink_form = unlink_form or UnlinkCompanyForm(members=memberships)
    context = {
        "title": f"Entreprise unique « {group.name} »",
        "breadcrumb_data": groups_breadcrumb(group.name),
        "group": group,
        "members": members,
        "positions": positions_context(selectors.group_totals_at(group, at=at), at),
        "lines": list(
            selectors.grants_of_undertaking(memberships[0].company)[:20] if memberships else []
        ),
        "can_manage": can_manage,
        "link_form": link_form,
        "unlink_form": unlink_form,
    }
    return render(request, "stateaid/group_detail.html", context)


def group_detail(request, pk: int):
    require(permissions.can_view_undertakings(request.user))
    return _detail(request, get_object_or_404(UndertakingGroup, pk=pk))


@require_POST
def group_link(request, pk: int):
    require(permissions.can_manage_undertakings(request.user))
    group = get_object_or_404(UndertakingGroup, pk=pk)
    form = LinkCompanyForm(request.POST)
    if form.is_valid():
        siren = form.cleaned_data["siren"]
        company = Company.objects.filter(siren=siren).first()
        if company is None:
            form.add_error("siren", f"Aucune entreprise de SIREN {siren} dans le registre.")
        else:
            try:
                services.undertaking_link(
                    group=group,
                    company=company,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, f"{company.name} est rattachée à l'entreprise unique « {group.name} »."
                )
                totals = selectors.group_totals_at(group, at=timezone.localdate())
                for warning in over_ceiling_messages(totals):
                    messages.warning(request, warning)
                return redirect("stateaid:group_detail", pk=group.pk)
    return _detail(request, group, link_form=form)


@require_POST
def group_unlink(request, pk: int):
    require(permissions.can_manage_undertakings(request.user))
    group = get_object_or_404(UndertakingGroup, pk=pk)
    form = UnlinkCompanyForm(request.POST, members=list(selectors.group_members(group)))
    if form.is_valid():
        company = Company.objects.get(pk=form.cleaned_data["company"])
        try:
            services.undertaking_unlink(
                company=company, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{company.name} est retirée de l'entreprise unique « {group.name} » : ses aides "
                f"comptent de nouveau seules.",
            )
            return redirect("stateaid:group_detail", pk=group.pk)
    return _detail(request, group, unlink_form=form)
