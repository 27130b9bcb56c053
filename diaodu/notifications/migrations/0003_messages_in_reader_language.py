from django.conf import settings
from django.db import migrations, models


def keep_old_text(apps, schema_editor):
    # Rows written before were stored rendered: their text becomes the message, shown as
    # data (Traditional readers see it converted).
    Notification = apps.get_model("notifications", "Notification")
    for notification in Notification.objects.only("pk", "title", "body").iterator():
        Notification.objects.filter(pk=notification.pk).update(
            title_message=notification.title, body_message=notification.body
        )


def restore_text(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for notification in Notification.objects.iterator():
        title, body = notification.title_message, notification.body_message
        Notification.objects.filter(pk=notification.pk).update(
            title=(title if isinstance(title, str) else title.get("key", ""))[:200],
            body=body if isinstance(body, str) else body.get("key", ""),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_webhook_endpoints"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="body_message",
            field=models.JSONField(blank=True, default=str, verbose_name="text"),
        ),
        migrations.AddField(
            model_name="notification",
            name="title_message",
            field=models.JSONField(default=str, verbose_name="title"),
        ),
        # Defaults, so that going back can add the old columns to existing rows.
        migrations.AlterField(
            model_name="notification",
            name="title",
            field=models.CharField(default="", max_length=200, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=models.TextField(blank=True, default="", verbose_name="text"),
        ),
        migrations.RunPython(keep_old_text, restore_text),
        migrations.RemoveField(model_name="notification", name="body"),
        migrations.RemoveField(model_name="notification", name="title"),
        migrations.AddField(
            model_name="preference",
            name="language",
            field=models.CharField(
                choices=settings.LANGUAGES,
                default="zh-hans",
                help_text="E-mails are written in it; set when the person switches language.",
                max_length=10,
                verbose_name="language",
            ),
        ),
    ]
