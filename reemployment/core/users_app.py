"""``wagtail.users`` with the project's user screens (INSTALLED_APPS names :class:`UsersConfig`).

Kept apart from ``users_admin`` because INSTALLED_APPS imports it before the models are ready.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(WagtailUsersAppConfig):
    user_viewset = "reemployment.core.users_admin.UserViewSet"
