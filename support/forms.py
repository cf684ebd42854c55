"""Helpers shared by the forms of every blueprint."""

from flask import flash, redirect

from .errors import Conflict, Invalid, ServiceError


def apply_errors(form, exc) -> None:
    """Show a service error next to the fields it names (or at the top of the form)."""
    placed = False
    for name, message in (exc.fields or {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
            placed = True
    if not placed:
        form.form_errors.append(exc.message)


def refused(exc) -> None:
    """Tell why a one-button action did not happen (403 and 404 still get their pages)."""
    if not isinstance(exc, (Conflict, Invalid)):
        raise exc
    flash(exc.message, "error")


def one_button(service, actor, target_id, message, category, back_to):
    """Run a one-button action (accept, verify ...): flash its outcome, go back to `back_to`."""
    try:
        service(actor, target_id)
    except ServiceError as exc:
        refused(exc)
    else:
        flash(message(), category)
    return redirect(back_to)
