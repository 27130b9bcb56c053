from django.db import migrations


def approvals_in_working_days(apps, schema_editor):
    """The approval rules set their limits in working days (工作日)."""
    MilestoneKind = apps.get_model("projects", "MilestoneKind")
    MilestoneKind.objects.filter(is_approval=True).update(day_kind="working")


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_working_day_limits")]

    operations = [
        migrations.RunPython(approvals_in_working_days, migrations.RunPython.noop),
    ]
