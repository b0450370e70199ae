"""Public pages of the programme (no login, no personal data: published actions of a published
programme only) — the programme by month with its filters, the calendar, an action's page, the
PDF and the iCalendar feed — and the managers' page that writes and publishes the programme."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from guichet.collective import calendar_feed, permissions, programme_pdf, selectors
from guichet.collective.forms_actions import ProgrammeForm, PublicFilterForm
from guichet.collective.models import Programme
from guichet.collective.services.actions import programme_publish, programme_upsert
from guichet.core.permissions import require


def register_url(action) -> str:
    """The public registration form (the registrations part); its agreed path otherwise."""
    try:
        return reverse("collective:register", args=[action.slug])
    except NoReverseMatch:
        return f"/actions-collectives/{action.slug}/inscription/"


def decorate(actions, today: date) -> list:
    """What the public pages show of each action: places left, registration open."""
    rows = selectors.with_names(actions)
    for action in rows:
        action.places_left = selectors.places_left(action)
        action.is_open = selectors.registration_open(action, today)
        action.register_url = register_url(action)
    return rows


def _not_published(request, year: int):
    context = {"title": f"Programme {year}", "year": year, "years": selectors.published_years()}
    return render(request, "collective/programme/not_published.html", context, status=404)


@login_not_required
def programme_current(request):
    return redirect("collective:programme", timezone.localdate().year)


@login_not_required
def programme(request, year: int):
    found = selectors.published_programme(year)
    if found is None:
        return _not_published(request, year)
    form = PublicFilterForm(
        request.GET or None,
        filieres=selectors.public_filieres(found),
        kinds=selectors.public_kinds(found),
    )
    actions = decorate(selectors.public_actions(found, **form.filters()), timezone.localdate())
    context = {
        "title": found.title,
        "programme": found,
        "form": form,
        "months": selectors.by_month(actions),
        "count": len(actions),
        "has_filters": bool(form.is_bound and any(form.data.get(k) for k in form.fields)),
        "years": selectors.published_years(),
    }
    return render(request, "collective/programme/programme.html", context)


def _month(raw: str, today: date) -> date:
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 2000 <= year <= today.year + 10:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


@login_not_required
def calendar_view(request):
    today = timezone.localdate()
    first = _month(request.GET.get("month", ""), today)
    grid = selectors.month_grid(first.year, first.month)
    context = {
        "title": f"Calendrier des actions collectives — {grid.label}",
        "grid": grid,
        "actions": decorate(grid.actions, today),
        "weekdays": selectors.WEEKDAYS,
        "today": today,
        "programme_year": first.year
        if selectors.published_programme(first.year) is not None
        else None,
    }
    return render(request, "collective/programme/calendar.html", context)


@login_not_required
def public_action(request, slug: str):
    action = selectors.public_action(slug)
    if action is None:
        raise Http404("Aucune action publiée ne porte cet identifiant.")
    decorate([action], timezone.localdate())
    context = {
        "title": action.title,
        "action": action,
        "money": selectors.money_of(action),
        "breadcrumb_data": {
            "links": [
                {
                    "url": reverse("collective:programme", args=[action.programme.year]),
                    "title": action.programme.title,
                }
            ],
            "current": action.title,
            "root_dir": "/",
        },
    }
    return render(request, "collective/programme/public_action.html", context)


def _published_or_404(year: int) -> Programme:
    found = selectors.published_programme(year)
    if found is None:
        raise Http404(f"Le programme {year} n'est pas publié.")
    return found


@login_not_required
def programme_pdf_view(request, year: int):
    found = _published_or_404(year)
    site = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        programme_pdf.programme_pdf(found, site_url=site), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="{programme_pdf.programme_filename(found)}"'
    )
    return response


@login_not_required
def programme_ics(request, year: int):
    found = _published_or_404(year)
    host = split_domain_port(request.get_host())[0] or "localhost"
    text = calendar_feed.programme_ics(
        found,
        selectors.public_actions(found),
        host=host,
        url_of=lambda a: request.build_absolute_uri(
            reverse("collective:public_action", args=[a.slug])
        ),
    )
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="programme-actions-collectives-{year}.ics"'
    )
    return response


# --- managers ---------------------------------------------------------------------------------


def _add_errors(form, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def programme_edit(request, year: int):
    require(permissions.can_manage_programme(request.user))
    existing = Programme.objects.filter(year=year).first()
    if existing is None and not 2000 <= year <= timezone.localdate().year + 5:
        raise Http404("Année hors du champ des programmes.")
    initial = {
        "title": existing.title if existing else f"Programme d'actions collectives {year}",
        "introduction": existing.introduction if existing else "",
        "is_published": existing.is_published if existing else False,
    }
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = programme_upsert(
                year=year, title=data["title"], introduction=data["introduction"], by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            programme_publish(programme=saved, by=request.user, published=data["is_published"])
            state = "publié" if saved.is_published else "enregistré (non publié)"
            messages.success(request, f"Le programme {year} est {state}.")
            return redirect(f"{reverse('collective:actions')}?year={year}")
    context = {
        "title": f"Programme {year}",
        "year": year,
        "form": form,
        "programme": existing,
        "breadcrumb_data": {
            "links": [{"url": reverse("collective:actions"), "title": "Actions collectives"}],
            "current": f"Programme {year}",
            "root_dir": "/",
        },
    }
    return render(request, "collective/programme/programme_edit.html", context)
