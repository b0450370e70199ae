"""Audit log: who created, changed, deleted or viewed which record, and when.

Models opt in with the `@audited` decorator; their saves and deletes are logged by signal
handlers, whichever path made them (service, admin, shell). The acting user comes from the
request (middleware) or from `acting_as(user)` in commands and tasks. Reads of records holding
personal data are logged explicitly with `audit_view`, by the views and endpoints that show them.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from guichet.core.models import AuditEvent

_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)
_path: contextvars.ContextVar = contextvars.ContextVar("audit_path", default="")

_AUDITED: dict[type[models.Model], frozenset[str]] = {}
_MASKED = "••••••"
_ALWAYS_SKIPPED = frozenset({"last_login", "updated_at"})


def audited(*, masked: tuple[str, ...] = ()):
    """Class decorator: log every create/update/delete of this model (masked fields hide values)."""

    def register(model: type[models.Model]) -> type[models.Model]:
        _AUDITED[model] = frozenset(masked)
        return model

    return register


def is_audited(model: type[models.Model]) -> bool:
    return model in _AUDITED


@contextmanager
def acting_as(user, *, path: str = "") -> Iterator[None]:
    """Attribute the writes made inside the block to `user` (commands, tasks, tests)."""
    actor_token = _actor.set(user)
    path_token = _path.set(path)
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _path.reset(path_token)


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with acting_as(actor, path=request.path[:300]):
            return self.get_response(request)


def _label(value) -> str:
    return str(value)[:300]


def _actor_fields(actor) -> dict:
    if actor is None:
        return {"actor": None, "actor_label": "", "organisation_label": ""}
    organisation = getattr(actor, "organisation", None)
    return {
        "actor": actor if getattr(actor, "pk", None) else None,
        "actor_label": _label(f"{actor.get_full_name()} <{actor.email}>".strip()),
        "organisation_label": _label(organisation) if organisation else "",
    }


def record(
    *, action: str, obj: models.Model | None = None, object_type: str = "", changes=None, actor=None
) -> AuditEvent:
    """Append one event. `actor` defaults to the user of the current request or block."""
    actor = actor if actor is not None else _actor.get()
    if obj is not None:
        object_type = object_type or obj._meta.label
    return AuditEvent.objects.create(
        action=action,
        object_type=object_type,
        object_id=_label(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=_label(obj) if obj is not None else "",
        changes=changes or {},
        path=_path.get(),
        **_actor_fields(actor),
    )


def audit_view(*, obj: models.Model, actor=None) -> AuditEvent:
    """Log that a record holding personal data was displayed to (or fetched by) someone."""
    return record(action=AuditEvent.Action.VIEW, obj=obj, actor=actor)


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)


def _snapshot(instance: models.Model) -> dict:
    masked = _AUDITED[type(instance)]
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in _ALWAYS_SKIPPED or field.primary_key:
            continue
        value = getattr(instance, field.attname)
        values[field.name] = _MASKED if field.name in masked and value else _jsonable(value)
    return values


def _on_pre_save(sender, instance, raw=False, **kwargs):
    if raw or sender not in _AUDITED:
        return
    previous = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        previous = _snapshot(old) if old is not None else None
    instance._audit_previous = previous


def _on_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or sender not in _AUDITED:
        return
    current = _snapshot(instance)
    previous = getattr(instance, "_audit_previous", None)
    if created or previous is None:
        changes = {
            name: [None, value] for name, value in current.items() if value not in ("", None)
        }
        record(action=AuditEvent.Action.CREATE, obj=instance, changes=changes)
        return
    changes = {
        name: [previous.get(name), value]
        for name, value in current.items()
        if previous.get(name) != value
    }
    if changes:
        record(action=AuditEvent.Action.UPDATE, obj=instance, changes=changes)


def _on_post_delete(sender, instance, **kwargs):
    if sender not in _AUDITED:
        return
    record(action=AuditEvent.Action.DELETE, obj=instance, changes={})


def _on_m2m_changed(sender, instance, action, pk_set, **kwargs):
    if type(instance) not in _AUDITED or action not in ("post_add", "post_remove", "post_clear"):
        return
    field_name = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), "?"
    )
    verb = {"post_add": "ajout", "post_remove": "retrait", "post_clear": "vidage"}[action]
    values = sorted(str(pk) for pk in (pk_set or ()))
    record(
        action=AuditEvent.Action.UPDATE,
        obj=instance,
        changes={field_name: [verb, values]},
    )


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed

    pre_save.connect(_on_pre_save, dispatch_uid="audit_pre_save")
    post_save.connect(_on_post_save, dispatch_uid="audit_post_save")
    post_delete.connect(_on_post_delete, dispatch_uid="audit_post_delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="audit_m2m")
