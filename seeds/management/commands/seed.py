"""`manage.py seed`: the Taiyuan demo city (see seeds/demo.py). Idempotent."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from seeds.complaints import TrackedComplaint, demo_tracking
from seeds.demo import SeedResult, demo_logins, demo_password, seed_demo
from seeds.taiyuan import CITY_CODE, DemoUser
from workflow.case_types import registry
from workflow.roles import Role


class Command(BaseCommand):
    help = (
        "写入演示数据：太原市生态环境局及各分局/县局、各角色演示账号、各状态的督办事项和信访投诉。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="build the demo as of this ISO moment (default: now), e.g. 2026-06-01T09:00+08:00",
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="only list the demo logins that exist; write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self._print_logins(demo_logins())
            self._print_tracking(demo_tracking(CITY_CODE))
            return
        if not settings.ECOLOOP_DEMO_SEED:
            raise CommandError(
                "演示数据已在此环境禁用（演示账号使用公开的演示密码）。"
                "确需写入时设置环境变量 ECOLOOP_DEMO_SEED=1。"
            )
        now = self._parse_now(options["now"])
        started = time.monotonic()
        result = seed_demo(now=now)
        elapsed = time.monotonic() - started
        if not result.created:
            self.stdout.write(
                f"演示数据已存在（{result.units} 个单位，{result.cases} 件案件），未做更改。"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已写入演示数据：{result.units} 个单位，{len(result.logins)} 个账号，"
                f"{result.supervision_items} 件督办事项，"
                f"{result.complaints} 件信访投诉，{result.enterprises} 家排污单位，"
                f"{result.inspections} 次现场检查，{result.enforcement_cases} 件行政处罚案件，"
                f"{result.correction_orders} 份责令改正，{result.random_plans} 个双随机抽查计划，"
                f"{result.damage_cases} 件生态环境损害赔偿案件，"
                f"{result.forwarded_items} 件边督边改交办件，"
                f"{result.rectification_tasks} 项督察反馈问题整改任务，"
                f"{result.campaigns} 个专项行动，"
                f"{result.places} 个点位，"
                f"{result.patrols} 次巡查及 {result.rapid_items} 件即知即改事项，"
                f"{result.ranking_snapshots} 份排名考核快照"
                f"（{elapsed:.1f} 秒）。"
            )
        )
        if options["verbosity"] >= 1:
            self._print_states(result)
            # The password is shown once, when the accounts are created.
            self._print_logins(result.logins)
            self._print_tracking(result.tracking)

    def _parse_now(self, value: str | None) -> dt.datetime | None:
        if not value:
            return None
        parsed = parse_datetime(value)
        if parsed is None or parsed.tzinfo is None:
            raise CommandError("--now 需要带时区的 ISO 时间，例如 2026-06-01T09:00+08:00")
        return parsed

    def _print_states(self, result: SeedResult) -> None:
        """One line per case type, its states in the order the type declares them."""
        for case_type in registry:
            states = result.kinds.get(case_type.kind)
            if not states:
                continue
            order = {state: position for position, state in enumerate(case_type.state_labels)}
            ordered = sorted(states.items(), key=lambda item: order.get(item[0], len(order)))
            parts = [f"{case_type.state_label(state)} {count}" for state, count in ordered]
            self.stdout.write(f"  {case_type.label}：" + "，".join(parts))

    def _print_logins(self, logins: tuple[DemoUser, ...]) -> None:
        if not logins:
            return
        self.stdout.write("演示账号：")
        for person in logins:
            roles = "、".join(str(Role(role).label) for role in person.roles)
            name = person.name + "　" * max(0, 5 - len(person.name))  # ideographic spaces
            self.stdout.write(f"  {person.username:<14} {name} {person.title}（{roles}）")
        self.stdout.write(f"  密码均为：{demo_password()}")

    def _print_tracking(self, tracking: tuple[TrackedComplaint, ...]) -> None:
        if not tracking:
            return
        self.stdout.write("信访投诉查询页面（以反映人身份打开，可查看进展、评价答复）：")
        for item in tracking:
            self.stdout.write(f"  {item.case_no}（{item.state}）：{item.url}")
