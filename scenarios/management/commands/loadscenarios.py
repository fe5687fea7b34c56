from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scenarios.loader import ScenarioFileError, load_scenarios, scenario_files


class Command(BaseCommand):
    help = ("Load scenario files (the contract's YAML) into the database, validated by the engine. "
            "Upserts by id in one transaction: one invalid file and nothing is loaded.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders (default: scenarios/content)")
        parser.add_argument("--draft", action="store_true", help="load new scenarios unpublished")

    def handle(self, *args, **options):
        paths = []
        for p in options["paths"] or [str(settings.SCENARIO_CONTENT_DIR)]:
            paths += scenario_files(p)
        if not paths:
            raise CommandError("no scenario files found")
        try:
            loaded = load_scenarios(paths, publish=not options["draft"])
        except ScenarioFileError as exc:
            raise CommandError(f"nothing loaded: {exc}") from None
        created = sum(1 for _, new in loaded if new)
        self.stdout.write(f"loaded {len(loaded)} scenarios ({created} new, {len(loaded) - created} updated or "
                          "unchanged)")
