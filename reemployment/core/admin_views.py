"""Wagtail admin viewsets scoped to the user's jurisdiction, saving through services.

Every staff list, form, inspect, history and delete view in the admin is built
from :class:`ScopedModelViewSet`: lists show only records inside the user's
region subtree, and fetching any other record by id answers 404. Subclasses set
``save_service`` (a callable ``(actor=, instance=)``) so that admin edits go
through the same audited services as the API.
"""

from __future__ import annotations

from django.http import Http404
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from reemployment.core.errors import DomainError
from reemployment.core.scoping import scope_model


class ScopedObjectMixin:
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not scope_model(type(obj)._default_manager.filter(pk=obj.pk), self.request.user).exists():
            raise Http404("not in your jurisdiction")
        return obj


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return scope_model(super().get_base_queryset(), self.request.user)


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
    pass


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    pass


class ScopedCopyView(ScopedObjectMixin, generic.CopyView):
    pass


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view is limited to the user's jurisdiction."""

    save_service = None
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_class = ScopedCopyView
    inspect_view_enabled = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.save_service is not None:
            service = self.save_service
            # One subclass per viewset so each view knows its service.
            self.add_view_class = type("Create", (self.add_view_class,), {"save_service": staticmethod(service)})
            self.edit_view_class = type("Edit", (self.edit_view_class,), {"save_service": staticmethod(service)})
