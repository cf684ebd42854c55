"""Helpers shared by the forms of every blueprint."""


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
