"""Wagtail admin viewsets scoped to the user's jurisdiction, saving through services.

Every staff list, form, inspect, history and delete view in the admin is built
from :class:`ScopedModelViewSet`: lists show only records inside the user's
region subtree, and fetching any other record by id answers 404. Subclasses set
``save_service`` (a callable ``(actor=, instance=)``) so that admin edits go
through the same audited services as the API.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.forms import modelform_factory
from django.http import Http404
from django.utils.translation import gettext
from django.views import View
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from reemployment.core.errors import DomainError
from reemployment.core.models import STAFF_ROLES, Region, User
from reemployment.core.scoping import region_field_of, regions_for, scope_model


def _scopable(model) -> bool:
    """Whether ``scope_model`` can filter this model (it names, or has, a region field)."""
    if hasattr(model, "REGION_FIELD"):
        return True
    try:
        model._meta.get_field("region")
    except FieldDoesNotExist:
        return False
    return region_field_of(model) == "region"


def _staff_choices(user, queryset):
    """A user picked in a form (an owner, an assignee) is active staff inside the user's jurisdiction."""
    return scope_model(User.objects.filter(role__in=STAFF_ROLES, is_active=True), user)


class ScopedChoicesForm(WagtailAdminModelForm):
    """Every foreign-key choice limited to the records the user may see (regions: their subtree),
    so a form never lists — or accepts — another jurisdiction's records.

    ``choice_querysets`` maps a model to ``(user, queryset) -> queryset`` for choices narrower than
    the jurisdiction (e.g. only open vacancies); an app extends it in a subclass. Other models are
    scoped by their region (``scope_model``); a model that has none is left as it is.
    """

    choice_querysets: dict = {User: _staff_choices}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None or user is None:
                continue
            model = queryset.model
            if model is Region:
                field.queryset = regions_for(user)
            elif model in self.choice_querysets:
                field.queryset = self.choice_querysets[model](user, queryset)
            elif _scopable(model):
                field.queryset = scope_model(queryset, user)


class ScopedObjectMixin:
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not scope_model(type(obj)._default_manager.filter(pk=obj.pk), self.request.user).exists():
            raise Http404("not in your jurisdiction")
        return obj


EMPTY = "—"


def for_people(value):
    """A value as staff read it: a boolean as 是/否, nothing (None, "") as "—"; anything else as is."""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if value is None or (isinstance(value, str) and value == ""):
        return EMPTY
    return value


class PeopleColumn(Column):
    """A list column that shows booleans and empty values for people (``for_people``), not "False"/"None"."""

    def get_value(self, instance):
        return for_people(super().get_value(instance))


class ScopedIndexView(generic.IndexView):
    disabled_views: frozenset = frozenset()

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        # Wagtail builds each list_display field name into a plain Column that prints str(value).
        if column_class is Column:
            column_class = PeopleColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def get_base_queryset(self):
        queryset = scope_model(super().get_base_queryset(), self.request.user)
        related = self._title_relations()
        return queryset.select_related(*related) if related else queryset

    def _title_relations(self) -> list[str]:
        """The relations the list's titles read, fetched with the rows (no query per row): the
        model's own ``STR_RELATED`` (what its ``__str__`` follows) and, for each foreign key in
        ``list_display``, the key and its model's ``STR_RELATED``."""
        model = self.model
        related = list(getattr(model, "STR_RELATED", ()))
        for name in self.list_display:
            if not isinstance(name, str) or "__" in name:
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_one or (field.one_to_one and field.concrete):
                related.append(name)
                related.extend(f"{name}__{inner}" for inner in getattr(field.related_model, "STR_RELATED", ()))
        return related

    def search_queryset(self, queryset):
        """A search through a to-many relation (e.g. a household's members' names) lists each
        record once, however many of its related rows match."""
        searched = super().search_queryset(queryset)
        if (isinstance(searched, QuerySet) and searched is not queryset
                and any("__" in field for field in self.search_fields or [])):
            return queryset.filter(pk__in=searched.values("pk"))
        return searched

    # No links to views the viewset switched off.
    def get_add_url(self):
        return None if "add" in self.disabled_views else super().get_add_url()

    def get_edit_url(self, instance):
        if "edit" in self.disabled_views:
            return self.get_inspect_url(instance)
        return super().get_edit_url(instance)

    def get_delete_url(self, instance):
        return None if "delete" in self.disabled_views else super().get_delete_url(instance)


class DisabledView(View):
    """Stands in for a generic view a viewset switches off: the URL stays (Wagtail reverses it) but
    answers 404. Wagtail's ModelViewSet itself has no add/edit/delete switches."""

    template_name = ""  # read by ModelViewSet when it builds the view's kwargs

    @classmethod
    def as_view(cls, **initkwargs):
        def view(request, *args, **kwargs):
            raise Http404("not available here")

        return view


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding ``permission`` ("app_label.codename"), given as a
    keyword or, for a viewset's ``menu_item_class``, as a class attribute."""

    permission = ""

    def __init__(self, *args, permission: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if permission is not None:
            self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class ServiceSaveMixin:
    """Route the admin form's save through the viewset's service (audited)."""

    save_service = None

    def save_instance(self):
        instance = self.form.save(commit=False)
        service = type(self).save_service
        if service is None:
            return super().save_instance()
        return service(actor=self.request.user, instance=instance)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            # Wagtail's form_invalid reads this; it is only set by its own validation.
            self.produced_error_message = exc.message
            form.add_error(None, exc.message)
            return self.form_invalid(form)


class ScopedCreateView(ServiceSaveMixin, generic.CreateView):
    pass


class ScopedEditView(ServiceSaveMixin, ScopedObjectMixin, generic.EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    def get_field_display_value(self, field_name, field):
        return for_people(super().get_field_display_value(field_name, field))


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    pass


class ScopedCopyView(ScopedObjectMixin, generic.CopyView):
    pass


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view is limited to the user's jurisdiction, forms included."""

    save_service = None
    form_base = ScopedChoicesForm
    # Switches Wagtail's ModelViewSet lacks: a switched-off view answers 404 and is not linked.
    add_view_enabled = True
    edit_view_enabled = True
    delete_view_enabled = True
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_class = ScopedCopyView
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        if self._edit_handler:
            return super().get_form_class(for_update)
        return modelform_factory(self.model, form=self.form_base, fields=self.get_form_fields(),
                                 exclude=self.get_exclude_form_fields(),
                                 formfield_callback=self.formfield_for_dbfield)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        disabled = frozenset(name for name in ("add", "edit", "delete") if not getattr(self, f"{name}_view_enabled"))
        for name in disabled:
            setattr(self, f"{name}_view_class", DisabledView)
        if disabled:
            self.index_view_class = type("Index", (self.index_view_class,), {"disabled_views": disabled})
        if self.save_service is not None:
            service = self.save_service
            # One subclass per viewset so each view knows its service.
            if "add" not in disabled:
                self.add_view_class = type("Create", (self.add_view_class,), {"save_service": staticmethod(service)})
            if "edit" not in disabled:
                self.edit_view_class = type("Edit", (self.edit_view_class,), {"save_service": staticmethod(service)})
