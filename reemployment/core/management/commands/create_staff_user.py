"""python manage.py create_staff_user USERNAME ROLE [REGION_CODE] — a staff login with role and home region.

The password comes from ``--password``, else the ``STAFF_USER_PASSWORD`` environment variable, else
a prompt (twice). Saved through ``services.user_create`` (audited, actor ``system:create_staff_user``).
"""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reemployment.core.errors import DomainError
from reemployment.core.models import STAFF_ROLES, Region, Role, User
from reemployment.core.services import user_create

PASSWORD_ENV = "STAFF_USER_PASSWORD"


class Command(BaseCommand):
    help = "Create a staff login with a role and home region (e.g. a township login). Audited."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(str(role) for role in STAFF_ROLES),
                            help="community, township, county, labour, editor or admin")
        parser.add_argument("region", nargs="?", default=None,
                            help="home region code (community, township, county and labour staff)")
        parser.add_argument("--display-name", default="", help="姓名 shown in the admin")
        parser.add_argument("--password", help=f"else ${PASSWORD_ENV}, else asked for")
        parser.add_argument("--superuser", action="store_true",
                            help="also a superuser (Django admin, every permission)")
        parser.add_argument("--update", action="store_true", help="change an existing login instead of refusing")
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="never prompt")

    def handle(self, *args, username, role, region, display_name, password, superuser, update, interactive,
               **options):
        if User.objects.filter(username=username).exists() and not update:
            raise CommandError(_("用户 %(username)s 已存在（用 --update 修改）") % {"username": username})
        home = None
        if region:
            home = Region.objects.filter(code=region).first()
            if home is None:
                raise CommandError(_("未知的行政区划代码 %(code)s") % {"code": region})
        password = password or os.environ.get(PASSWORD_ENV) or self._ask_password(interactive)
        candidate = User(username=username, role=role, region=home, display_name=display_name)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(_("密码不符合要求：%(reasons)s") % {"reasons": " ".join(exc.messages)}) from None
        try:
            user = user_create(actor="system:create_staff_user", username=username, password=password, role=role,
                               region=home, display_name=display_name, is_superuser=superuser)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        where = f"{home.name}（{home.code}）" if home else _("全部辖区")
        self.stdout.write(f"{user.username}: {Role(role).label}, {where}")

    def _ask_password(self, interactive: bool) -> str:
        if not interactive:
            raise CommandError(_("没有密码：请用 --password 或设置 %(variable)s") % {"variable": PASSWORD_ENV})
        first = getpass.getpass(_("密码：") + " ")
        if first != getpass.getpass(_("再次输入密码：") + " "):
            raise CommandError(_("两次输入的密码不一致"))
        if not first:
            raise CommandError(_("密码为空"))
        return first
