from django.db import migrations, models

from diaodu.lib.chinese import search_key

BATCH = 500


def fill_search_keys(apps, schema_editor):
    """People saved before they were searchable get the key ``User.save`` now computes."""
    User = apps.get_model("accounts", "User")
    people = list(User.objects.only("pk", "display_name", "username", "title"))
    for person in people:
        person.search_key = search_key(person.display_name, person.username, person.title)
    User.objects.bulk_update(people, ["search_key"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_key",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
    ]
