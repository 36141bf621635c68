"""Admin widgets, form fields and filters that show only the rows they are given.

They know nothing of corpora: `teams.admin_scoping` hands them the querysets a user may see.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that names only rows of `queryset`.

    Django's widget labels the id it holds from the whole table, so an id typed into the URL
    (`?document=<id>`) or a rejected POST would show another corpus's title.
    """

    def __init__(self, rel, admin_site, *, queryset: QuerySet, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            visible = self.queryset.filter(**{key: value}).exists()
        except (ValueError, ValidationError):
            return "", ""
        return super().label_and_url_for_value(value) if visible else ("", "")


class UsernameField(forms.ModelChoiceField):
    """An account named by its exact username, in a text box that lists no accounts.

    The box shows the username of the current value only when it is one of `shown`, so an id
    typed into the URL (`?user=<id>`) reveals nothing.
    """

    widget = forms.TextInput

    def __init__(self, queryset: QuerySet, *, shown: QuerySet, **kwargs):
        kwargs["to_field_name"] = "username"
        super().__init__(queryset, **kwargs)
        self.shown = shown

    def prepare_value(self, value):
        if isinstance(value, Model):
            value = value.pk
        if isinstance(value, int):
            return self.shown.filter(pk=value).values_list("username", flat=True).first() or ""
        return super().prepare_value(value)


class ValuesInScopeListFilter(admin.AllValuesFieldListFilter):
    """Offer the values of a field across a relation found in the admin's own rows."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = (
            model_admin.get_queryset(request)
            .order_by(field_path)
            .values_list(field_path, flat=True)
            .distinct()
        )
