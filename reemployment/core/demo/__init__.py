"""Demo data for ``make run``: the policy of 定远县 and one login per role."""

from __future__ import annotations

from pathlib import Path

from reemployment.core.models import Region, Role
from reemployment.core.policy_loader import load_policy_text
from reemployment.core.services import user_create

POLICY_FILE = Path(__file__).with_name("policy.yaml")
DEMO_PASSWORD = "demo-2026"

# username, role, region code, display name
DEMO_USERS = [
    ("admin", Role.ADMIN, None, "系统管理员"),
    ("county", Role.COUNTY, "341125", "县民政局 王科长"),
    # The payroll's second pair of eyes: county computes a month, county2 reviews and locks it (maker–checker).
    ("county2", Role.COUNTY, "341125", "县民政局 刘审核"),
    ("dingcheng", Role.TOWNSHIP, "341125100", "定城镇民政办 李干事"),
    ("luqiao", Role.TOWNSHIP, "341125101", "炉桥镇民政办 赵干事"),
    ("chengnan", Role.COMMUNITY, "341125100001", "城南社区 陈主任"),
    ("luqiaocun", Role.COMMUNITY, "341125101001", "炉桥村 周会计"),
    ("labour", Role.LABOUR, "341125", "县劳动就业局 孙科员"),
    ("editor", Role.EDITOR, None, "网站编辑 吴编辑"),
]


def seed_policy(stdout=None) -> None:
    report = load_policy_text(POLICY_FILE.read_text(encoding="utf-8"), actor="system:seed_demo")
    if stdout:
        stdout.write(f"policy: {report.changed} changes, {report.unchanged} unchanged")


def seed_users(stdout=None) -> list[tuple[str, str, str]]:
    rows = []
    for username, role, code, name in DEMO_USERS:
        region = Region.objects.get(code=code) if code else None
        user_create(
            actor="system:seed_demo", username=username, password=DEMO_PASSWORD, role=role, region=region,
            display_name=name, is_superuser=(role == Role.ADMIN),
        )
        rows.append((username, str(Role(role).label), region.name if region else "全部"))
    return rows
