"""Re-install the append-only triggers: INSERT OR REPLACE (SQLite) and TRUNCATE (PostgreSQL) are
now refused too. Installing is idempotent, so databases made after 0002 was updated are unchanged.
"""

from django.db import migrations


def install_triggers(apps, schema_editor):
    from workflow import audit_triggers

    audit_triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_append_only_roles_calendar")]

    operations = [migrations.RunPython(install_triggers, migrations.RunPython.noop)]
