"""The standard template of time nodes (时间节点) a new project's milestones are made from.
Approving departments are left for the zone to set, as department names differ."""

from django.db import migrations

KINDS = [
    # code, name, English name, approval, statutory days
    ("signing", "签约", "Signing", False, None),
    ("land_supply", "供地", "Land supply", False, None),
    ("project_approval", "立项", "Project approval", True, 20),
    ("land_planning_permit", "用地规划许可", "Land-use planning permit", True, 20),
    ("engineering_planning_permit", "工程规划许可", "Construction planning permit", True, 20),
    ("construction_permit", "施工许可", "Construction permit", True, 15),
    ("groundbreaking", "开工", "Groundbreaking", False, None),
    ("topping_out", "封顶", "Topping out", False, None),
    ("completion", "竣工", "Completion", False, None),
    ("production", "投产", "In production", False, None),
]


def create_kinds(apps, schema_editor):
    MilestoneKind = apps.get_model("projects", "MilestoneKind")
    for order, (code, name, name_en, approval, days) in enumerate(KINDS, start=1):
        MilestoneKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "sort_order": order * 10,
                "is_approval": approval,
                "statutory_days": days,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
