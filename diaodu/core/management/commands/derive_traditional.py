from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from diaodu.lib.chinese import to_traditional


class Command(BaseCommand):
    help = (
        "Write the Traditional Chinese catalogues from the Simplified ones with OpenCC, so the "
        "two never drift apart. Translators edit zh_Hans only."
    )

    def handle(self, *args, **options):
        import polib  # a development tool: installed with the test extras

        for base in settings.LOCALE_PATHS:
            for source in sorted(Path(base).glob("zh_Hans/LC_MESSAGES/*.po")):
                target = source.parents[2] / "zh_Hant" / "LC_MESSAGES" / source.name
                # The whole catalogue is derived: entries, flags (fuzzy included), comments
                # and header come from zh_Hans; only the translations are converted.
                catalogue = polib.pofile(str(source))
                catalogue.metadata["Language"] = "zh_Hant"
                for entry in catalogue:
                    entry.msgstr = to_traditional(entry.msgstr)
                    entry.msgstr_plural = {
                        n: to_traditional(text) for n, text in entry.msgstr_plural.items()
                    }
                target.parent.mkdir(parents=True, exist_ok=True)
                catalogue.save(str(target))
                self.stdout.write(f"{target}: {len(catalogue)} entries")
