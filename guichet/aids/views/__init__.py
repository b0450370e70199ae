"""Pages of individual aids. Shared helpers of the filing pages: the error summary at the top
of a form (RGAA 11.10: each message links to its field)."""

from django import forms


def _anchor(bound) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def error_summary(*forms_, extra: list[str] | None = None) -> list[dict]:
    """Errors of bound forms (and loose messages), in page order."""
    summary = [{"anchor": "", "label": "", "message": m} for m in extra or []]
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        summary += [{"anchor": "", "label": "", "message": m} for m in form.non_field_errors()]
        for name in form.fields:
            bound = form[name]
            for message in bound.errors:
                summary.append({"anchor": _anchor(bound), "label": bound.label, "message": message})
    return summary
