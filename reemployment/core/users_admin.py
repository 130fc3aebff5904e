"""Staff logins in Wagtail's admin (设置 → 用户): role and home region, saved by the audited service.

Wagtail 8 customises its user screens through the user viewset named by the ``wagtail.users`` app
config (``user_viewset``), not through the old ``WAGTAILUSERS_USER_*_FORM`` settings: settings
install ``reemployment.core.users_app.UsersConfig`` in place of ``wagtail.users``. Only system administrators (the role's
``core.add_user``/``core.change_user``) and superusers get these screens; the service checks again.

- Create and edit forms add role, home region and name; a staff role other than editor and system
  administrator needs a home region of its level. Recipient logins are created with their household
  (benefits) and keep their role here.
- Groups follow the role (``reemployment.core.roles``): shown, not edited. Only a superuser sees the
  superuser switch.
- Deleting users and Wagtail's bulk actions are off: they would bypass the audit (and audit events
  keep their actor). Deactivate a login instead.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from reemployment.core import services
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, Role, User

STAFF_FIELDS = ["display_name", "role", "region"]


class StaffFieldsMixin(forms.ModelForm):
    """Role, home region and name on Wagtail's user forms; groups follow the role."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        for name in ("email", "first_name", "last_name"):
            if name in self.fields:
                self.fields[name].required = False  # many township staff have no e-mail; 姓名 is display_name
        role = self.fields["role"]
        region = self.fields["region"]
        region.queryset = Region.objects.order_by("path")
        region.help_text = _("社区/村、乡镇/街道、县民政局和劳动就业局工作人员必填，须为相应级别的区划")
        if self.instance.pk and self.instance.role == Role.RECIPIENT:
            role.disabled = region.disabled = True  # recipients belong to their household
        else:
            role.choices = [("", "---------")] + [(r.value, r.label) for r in Role if r != Role.RECIPIENT]
            role.required = True
        if "groups" in self.fields:
            self.fields["groups"].disabled = True
            self.fields["groups"].help_text = _("权限组随角色自动设置")
        if "is_superuser" in self.fields and not (for_user is not None and for_user.is_superuser):
            self.fields["is_superuser"].disabled = True

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and role != Role.RECIPIENT:
            problem = services.role_region_problem(role, cleaned.get("region"))
            if problem:
                self.add_error("region", problem)
        return cleaned


class StaffUserCreationForm(StaffFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = [User.USERNAME_FIELD, "email", "first_name", "last_name", "is_superuser", "groups", *STAFF_FIELDS]


class StaffUserEditForm(StaffFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = [User.USERNAME_FIELD, "is_active", "email", "first_name", "last_name", "is_superuser", "groups",
                  *STAFF_FIELDS]


class ServiceSaveMixin:
    """Save through ``services.user_save`` (audited) and show its refusals on the form."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs

    def save_instance(self):
        user = self.form.save(commit=False)  # sets the password from password1, if one was given
        password = self.form.cleaned_data.get("password1") or None
        user = services.user_save(actor=self.request.user, user=user, password=password)
        if password and user.pk == self.request.user.pk:
            update_session_auth_hash(self.request, user)  # changing one's own password keeps one logged in
        return user

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            self.produced_error_message = exc.message
            for field, messages in exc.field_errors.items():
                if field in form.fields:
                    form.add_error(field, messages)
            if not form.errors:
                form.add_error(None, exc.message)
            return self.form_invalid(form)


class CreateView(ServiceSaveMixin, wagtail_users.CreateView):
    template_name = "core/users/create.html"


class EditView(ServiceSaveMixin, wagtail_users.EditView):
    template_name = "core/users/edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.can_delete = False


class IndexView(wagtail_users.IndexView):
    @property
    def columns(self):
        # No bulk-action checkboxes: bulk changes of logins would not be audited.
        return [column for column in super().columns if column.name != "bulk_actions"]

    def get_delete_url(self, instance):
        return None


class DeleteView(wagtail_users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied(gettext("登录账号不能删除，请停用"))


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
