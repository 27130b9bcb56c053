from django.conf import settings
from django.db import migrations, models
from django.utils import translation


def titles_as_messages(apps, schema_editor):
    """Titles were stored as written. A webhook's ("label: object") becomes a message with
    the event's label as its key, so the log shows it in its reader's language; any other
    title is kept as it was written, as data."""
    from diaodu.notifications.choices import WebhookEvent

    labels = {}  # every language's label of each event -> the label's key
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for event in WebhookEvent:
                labels[(event.value, str(event.label))] = event.label._args[0]
    Delivery = apps.get_model("notifications", "Delivery")
    for delivery in Delivery.objects.only("pk", "title", "event", "endpoint").iterator():
        label, separator, rest = delivery.title.partition(": ")
        key = labels.get((delivery.event, label)) if delivery.endpoint_id and separator else None
        title = (
            {
                "key": "%(event)s: %(object)s",
                "params": {"event": {"key": key, "params": {}}, "object": rest},
            }
            if key
            else delivery.title
        )
        Delivery.objects.filter(pk=delivery.pk).update(title_message=title)


def titles_as_text(apps, schema_editor):
    from diaodu.notifications.messages import render_in

    Delivery = apps.get_model("notifications", "Delivery")
    for delivery in Delivery.objects.only("pk", "title_message", "language").iterator():
        Delivery.objects.filter(pk=delivery.pk).update(
            title=render_in(delivery.title_message, delivery.language or settings.LANGUAGE_CODE)[
                :200
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_messages_in_reader_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="channel",
            name="language",
            field=models.CharField(
                blank=True,
                choices=settings.LANGUAGES,
                help_text="The language the group reads; empty for the site's language.",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="language",
            field=models.CharField(
                blank=True, choices=settings.LANGUAGES, max_length=10, verbose_name="language"
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="title_message",
            field=models.JSONField(default=str, verbose_name="title"),
        ),
        # A default, so that going back can add the old column to existing rows.
        migrations.AlterField(
            model_name="delivery",
            name="title",
            field=models.CharField(default="", max_length=200, verbose_name="title"),
        ),
        migrations.RunPython(titles_as_messages, titles_as_text),
        migrations.RemoveField(model_name="delivery", name="title"),
    ]
