from django.db import migrations, models
from django.db.models import Max


def carry_over(apps, schema_editor):
    """Issued minutes keep the prefix they were printed with (today's setting is the best
    known), and each year's sequence goes on after the last number already given."""
    Minutes = apps.get_model("meetings", "Minutes")
    DocumentSettings = apps.get_model("core", "DocumentSettings")
    DocumentSequence = apps.get_model("core", "DocumentSequence")
    settings_ = DocumentSettings.objects.order_by("pk").first()
    if settings_ and settings_.minutes_code:
        Minutes.objects.filter(number__isnull=False).update(code=settings_.minutes_code)
    years = Minutes.objects.filter(year__isnull=False).values("year").annotate(last=Max("number"))
    for row in years:
        DocumentSequence.objects.update_or_create(
            series="minutes", year=row["year"], defaults={"last": row["last"] or 0}
        )


def drop_sequences(apps, schema_editor):
    apps.get_model("core", "DocumentSequence").objects.filter(series="minutes").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_document_number_sequences"),
        ("meetings", "0005_meeting_report_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="minutes",
            name="code",
            field=models.CharField(
                blank=True, editable=False, max_length=30, verbose_name="number prefix"
            ),
        ),
        migrations.RunPython(carry_over, drop_sequences),
    ]
