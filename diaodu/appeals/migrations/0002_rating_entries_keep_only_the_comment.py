from django.conf import settings
from django.db import migrations
from django.utils import translation


def drop_rating_line(apps, schema_editor):
    """A rating's entry used to begin with the satisfaction written in the rater's
    language; it is now named on the timeline in each reader's, so the entry keeps only
    the comment. A first line that is not a satisfaction label is left alone."""
    from diaodu.appeals.choices import Satisfaction

    labels = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels |= {str(label) for label in Satisfaction.labels}
    AppealEntry = apps.get_model("appeals", "AppealEntry")
    for entry in AppealEntry.objects.filter(kind="rated").only("pk", "text"):
        first, _newline, rest = entry.text.partition("\n")
        if first.strip() in labels:
            AppealEntry.objects.filter(pk=entry.pk).update(text=rest.strip())


def restore_rating_line(apps, schema_editor):
    from diaodu.appeals.choices import Satisfaction

    AppealEntry = apps.get_model("appeals", "AppealEntry")
    with translation.override(settings.LANGUAGE_CODE):
        for entry in AppealEntry.objects.filter(kind="rated").select_related("appeal"):
            if entry.appeal.rating:
                label = str(Satisfaction(entry.appeal.rating).label)
                entry.text = f"{label}\n{entry.text}".strip()
                entry.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_enterprise_requests")]

    operations = [migrations.RunPython(drop_rating_line, restore_rating_line)]
