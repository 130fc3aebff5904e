"""Small pieces shared by the payroll and integrity admin (Wagtail): actions as forms calling services.

An :class:`Action` is a form plus the service call it triggers. A viewset with
:class:`ActionsMixin` serves ``<pk>/do/<action>/`` for actions on a record (buttons on its page)
and ``create/<action>/`` for actions that create one (buttons on the list). The record is always
fetched through ``scope_model`` (404 outside the jurisdiction) and the user must hold the action's
model permission (403 otherwise); the service checks the role and jurisdiction again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.widgets.button import Button, HeaderButton

from reemployment.core.admin_views import DisabledView, ScopedIndexView, ScopedInspectView
from reemployment.core.errors import DomainError
from reemployment.core.scoping import scope_model


class ActionForm(forms.Form):
    """Forms of actions receive the user and the record (None when creating)."""

    def __init__(self, *args, user=None, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.obj = obj


@dataclass(frozen=True)
class Action:
    label: str
    form_class: type[ActionForm]
    run: Callable  # (user, obj, cleaned_data) -> result; obj is None for create actions
    permission: str  # "app_label.codename" the user must hold
    available: Callable = field(default=lambda user, obj: True)  # show the button?
    help_text: str = ""


def _allowed(user, action: Action, obj=None) -> bool:
    return user.has_perm(action.permission) and action.available(user, obj)


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
    create_actions: dict = {}

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        namespace = self.index_url_name.split(":")[0]
        for name, action in self.create_actions.items():
            if _allowed(self.request.user, action):
                buttons.append(HeaderButton(action.label, url=reverse(f"{namespace}:create", args=(name,)),
                                            icon_name="plus"))
        return buttons


class ActionInspectView(ScopedInspectView):
    object_actions: dict = {}

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        namespace = self.index_url_name.split(":")[0]
        for priority, (name, action) in enumerate(self.object_actions.items(), start=30):
            if _allowed(self.request.user, action, self.object):
                buttons.append(Button(action.label, url=reverse(f"{namespace}:action", args=(self.object.pk, name)),
                                      icon_name="arrow-right", priority=priority))
        return buttons


class ActionsMixin:
    """Adds ``<pk>/do/<action>/`` and ``create/<action>/`` to a ScopedModelViewSet, and switches off the
    generic add/edit/delete/copy views (``disabled_views``): every change goes through an action's service."""

    object_actions: dict = {}
    create_actions: dict = {}
    disabled_views = frozenset({"add", "edit", "delete", "copy"})
    index_base_class = ActionIndexView
    copy_view_enabled = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hidden = {"disabled_views": self.disabled_views}
        self.index_view_class = type("Index", (HideDisabledMixin, self.index_base_class),
                                     {"create_actions": self.create_actions, **hidden})
        inspect_base = self.inspect_view_class
        if not issubclass(inspect_base, ActionInspectView):
            inspect_base = type("Inspect", (ActionInspectView, inspect_base), {})
        self.inspect_view_class = type("Inspect", (HideDisabledMixin, inspect_base),
                                       {"object_actions": self.object_actions, **hidden})
        for name in self.disabled_views:
            setattr(self, f"{name}_view_class", DisabledView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/do/<slug:action>/", self.action_view, name="action"),
            path("create/<slug:action>/", self.create_view, name="create"),
        ]

    def scoped_object(self, request, pk):
        return get_object_or_404(scope_model(self.model._default_manager.all(), request.user), pk=pk)

    def action_view(self, request, pk, action):
        spec = self.object_actions.get(action)
        if spec is None:
            raise Http404("unknown action")
        obj = self.scoped_object(request, pk)
        back = reverse(self.get_url_name("inspect"), args=(obj.pk,))
        return self._handle(request, spec, obj, back)

    def create_view(self, request, action):
        spec = self.create_actions.get(action)
        if spec is None:
            raise Http404("unknown action")
        return self._handle(request, spec, None, reverse(self.get_url_name("index")))

    def _handle(self, request, spec: Action, obj, back_url):
        if not _allowed(request.user, spec, obj):
            # A plain 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard).
            return HttpResponseForbidden("无权执行此操作 / not allowed")
        bound = request.method == "POST"
        form = spec.form_class(request.POST if bound else None, request.FILES if bound else None,
                               user=request.user, obj=obj)
        if bound and form.is_valid():
            try:
                result = spec.run(request.user, obj, form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                for name, errors in exc.field_errors.items():
                    if name in form.fields:
                        form.add_error(name, errors)
            else:
                messages.success(request, f"{spec.label}：已完成")
                target = result if result is not None and hasattr(result, "pk") else obj
                if target is not None and isinstance(target, self.model):
                    return redirect(self.get_url_name("inspect"), target.pk)
                return redirect(back_url)
        return TemplateResponse(request, "payroll/admin/action_form.html", {
            "title": spec.label, "subtitle": str(obj) if obj is not None else "", "form": form,
            "summary": spec.help_text, "back_url": back_url,
        })
