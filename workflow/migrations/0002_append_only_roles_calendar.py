from django.db import migrations


def install_triggers(apps, schema_editor):
    from workflow import audit_triggers

    audit_triggers.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    from workflow import audit_triggers

    audit_triggers.remove(schema_editor.connection)


ROLES = [
    "intake", "dispatcher", "inspector", "handler", "verifier",
    "supervisor", "leader", "legal_reviewer", "admin",
]  # fmt: skip


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def confirm_packaged_years(apps, schema_editor):
    # The official 调休 schedules 2004–2026 ship in the holiday data: those years start confirmed.
    CalendarYear = apps.get_model("workflow", "CalendarYear")
    for year in range(2004, 2027):
        CalendarYear.objects.get_or_create(
            year=year,
            defaults={"confirmed": True, "source": "国务院办公厅节假日安排通知（随日历数据发布）"},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(confirm_packaged_years, migrations.RunPython.noop),
    ]
