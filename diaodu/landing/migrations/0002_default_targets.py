"""Zone-wide landing targets to start from, in days from signing; the office adjusts them
(and adds per-industry ones) on the targets page.

Chosen to match the pace zones commonly promise: land delivered within four months of
signing, permits within six, ground broken within seven ("拿地即开工"), built within
about nineteen months and producing within twenty-two.
"""

from django.db import migrations

DEFAULTS = [
    ("land", 120),
    ("approvals", 180),
    ("groundbreaking", 210),
    ("completion", 570),
    ("production", 660),
]


def create_targets(apps, schema_editor):
    StageTarget = apps.get_model("landing", "StageTarget")
    for stage, days in DEFAULTS:
        StageTarget.objects.get_or_create(stage=stage, industry=None, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("landing", "0001_stage_target")]
    operations = [migrations.RunPython(create_targets, migrations.RunPython.noop)]
