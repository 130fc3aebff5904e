"""Object actions of the staff admin (Wagtail): one explicit form per action, each calling one service.

An :class:`Action` names its label, its form class and the service call it runs; a viewset with
:class:`ActionsMixin` serves ``<pk>/do/<action>/`` for actions on a record (buttons on its page) and
``create/<action>/`` for actions that create one (buttons on the list). Which service runs is decided
by which action was registered under the URL's name — never by comparing values of a form.

Every action needs a model permission, checked before anything is fetched or rendered: the one it
names (``permission``), else ``<app>.change_<model>`` for an action on a record and
``<app>.add_<model>`` for one that creates a record; an action on a record also needs
``<app>.view_<model>`` (its form shows the record). A user without them gets a plain 403, never the
form. The record is then fetched through ``scope_model`` (404 outside the jurisdiction), and an
action that is not ``available`` for it answers 403 too (unless ``refuse_unavailable`` is off); the
service checks role, step and jurisdiction again, and its :class:`DomainError` is shown on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from wagtail.admin.widgets.button import Button, HeaderButton

from reemployment.core.admin_views import DisabledView, ScopedIndexView, ScopedInspectView
from reemployment.core.errors import DomainError
from reemployment.core.scoping import scope_model

# The generic views an action-only viewset switches off: every change goes through an action's service.
ACTIONS_ONLY = frozenset({"add", "edit", "delete", "copy"})


class ActionFormMixin:
    """Forms of actions receive the user and the record (None when the action creates one)."""

    def __init__(self, *args, user=None, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.obj = obj


class ActionForm(ActionFormMixin, forms.Form):
    pass


class ActionModelForm(ActionFormMixin, forms.ModelForm):
    """An action that adds a related record (a member to a household) from a model form."""


def _always(user, obj) -> bool:
    return True


@dataclass(frozen=True)
class Action:
    label: str
    form_class: type[forms.BaseForm]
    run: Callable  # (user, obj, form) -> result; obj is None for create actions
    # "app_label.codename" the user must hold (403 otherwise); None: the viewset's default
    # (change_<model> on a record, add_<model> for a create action), filled in by ActionsMixin.
    permission: str | None = None
    available: Callable = field(default=_always)  # (user, obj) -> bool: show the button?
    help_text: str = ""

    def shown_to(self, user, obj=None) -> bool:
        return (self.permission is None or user.has_perm(self.permission)) and self.available(user, obj)


class HideDisabledMixin:
    """No links or buttons to the switched-off generic views."""

    disabled_views: frozenset = frozenset()

    def get_add_url(self, *args):
        return None if "add" in self.disabled_views else super().get_add_url(*args)

    def get_edit_url(self, *args):
        return None if "edit" in self.disabled_views else super().get_edit_url(*args)

    def get_delete_url(self, *args):
        return None if "delete" in self.disabled_views else super().get_delete_url(*args)

    def get_copy_url(self, *args):
        return None if "copy" in self.disabled_views else super().get_copy_url(*args)


class ActionIndexView(ScopedIndexView):
    """The list, with a header button per create action the user may run."""

    create_actions: dict = {}

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        namespace = self.index_url_name.split(":")[0]
        for name, action in self.create_actions.items():
            if action.shown_to(self.request.user):
                buttons.append(HeaderButton(action.label, url=reverse(f"{namespace}:create", args=(name,)),
                                            icon_name="plus"))
        return buttons


class ActionInspectView(ScopedInspectView):
    """A record's page, with a button per action the user may run on it. ``extra_labels`` names
    computed fields (``get_<name>_display_value``) shown beside the model's."""

    object_actions: dict = {}
    extra_labels: dict = {}

    def get_field_label(self, field_name, field):
        if field_name in self.extra_labels:
            return self.extra_labels[field_name]
        return super().get_field_label(field_name, field)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        namespace = self.index_url_name.split(":")[0]
        for priority, (name, action) in enumerate(self.object_actions.items(), start=30):
            if action.shown_to(self.request.user, self.object):
                buttons.append(Button(action.label, url=reverse(f"{namespace}:action", args=(self.object.pk, name)),
                                      icon_name="arrow-right", priority=priority))
        return buttons


class ActionsMixin:
    """Adds ``<pk>/do/<action>/`` and ``create/<action>/`` to a ScopedModelViewSet.

    ``disabled_views`` (e.g. :data:`ACTIONS_ONLY`) switches generic views off and hides their links.
    ``refuse_unavailable``: answer 403 to an action that is not ``available`` for the record; off
    where the service's own error explains better (a step already taken in another tab).
    """

    object_actions: dict = {}
    create_actions: dict = {}
    disabled_views: frozenset = frozenset()
    refuse_unavailable = True
    action_template_name = "core/admin/action_form.html"
    copy_view_enabled = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fail closed: an action that names no permission needs the model's change (add) permission.
        self.object_actions = {name: self._with_permission(spec, "change")
                               for name, spec in self.object_actions.items()}
        self.create_actions = {name: self._with_permission(spec, "add")
                               for name, spec in self.create_actions.items()}
        self.index_view_class = self._with(self.index_view_class, ActionIndexView,
                                           create_actions=self.create_actions)
        self.inspect_view_class = self._with(self.inspect_view_class, ActionInspectView,
                                             object_actions=self.object_actions)
        for name in self.disabled_views:
            setattr(self, f"{name}_view_class", DisabledView)

    def _model_permission(self, action: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def _with_permission(self, spec: Action, default_action: str) -> Action:
        return spec if spec.permission else replace(spec, permission=self._model_permission(default_action))

    def required_permissions(self, spec: Action, *, on_record: bool) -> tuple[str, ...]:
        """The model permissions a user needs to open ``spec``'s form (see the module docstring)."""
        if on_record:
            return (self._model_permission("view"), spec.permission)
        return (spec.permission,)

    def _with(self, view_class, action_class, **attrs):
        """``view_class`` with the action buttons, and without links to ``disabled_views``."""
        bases = (view_class,) if issubclass(view_class, action_class) else (action_class, view_class)
        if self.disabled_views:
            bases = (HideDisabledMixin, *bases)
            attrs["disabled_views"] = self.disabled_views
        return type(view_class.__name__, bases, attrs)

    def get_urlpatterns(self):
        patterns = [*super().get_urlpatterns(), path("<int:pk>/do/<slug:action>/", self.action_view, name="action")]
        if self.create_actions:
            patterns.append(path("create/<slug:action>/", self.create_view, name="create"))
        return patterns

    def scoped_object(self, request, pk):
        return get_object_or_404(scope_model(self.model._default_manager.all(), request.user), pk=pk)

    def action_view(self, request, pk, action):
        spec = self.object_actions.get(action)
        if spec is None:
            raise Http404("unknown action")
        if not request.user.has_perms(self.required_permissions(spec, on_record=True)):
            return self._forbidden()  # before the record is read: no form, no record, no hint it exists
        obj = self.scoped_object(request, pk)
        return self._handle(request, spec, obj, reverse(self.get_url_name("inspect"), args=(obj.pk,)))

    def create_view(self, request, action):
        spec = self.create_actions.get(action)
        if spec is None:
            raise Http404("unknown action")
        if not request.user.has_perms(self.required_permissions(spec, on_record=False)):
            return self._forbidden()
        return self._handle(request, spec, None, reverse(self.get_url_name("index")))

    @staticmethod
    def _forbidden():
        # A plain 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard).
        return HttpResponseForbidden(gettext("无权执行此操作"))

    def _handle(self, request, spec: Action, obj, back_url):
        if self.refuse_unavailable and not spec.available(request.user, obj):
            return self._forbidden()
        bound = request.method == "POST"
        form = spec.form_class(request.POST if bound else None, request.FILES if bound else None,
                               user=request.user, obj=obj)
        if bound and form.is_valid():
            try:
                result = spec.run(request.user, obj, form)
            except DomainError as exc:
                form.add_error(None, exc.message)
                for name, errors in exc.field_errors.items():
                    if name in form.fields:
                        form.add_error(name, errors)
            else:
                messages.success(request, gettext("%(action)s：已完成") % {"action": spec.label})
                # An action on a record returns to it; one that creates a record opens it.
                target = obj if obj is not None else result
                if target is not None and isinstance(target, self.model):
                    return redirect(self.get_url_name("inspect"), target.pk)
                return redirect(back_url)
        return TemplateResponse(request, self.action_template_name, {
            "title": spec.label, "subtitle": str(obj) if obj is not None else "", "form": form,
            "summary": spec.help_text, "back_url": back_url,
        })
