import os

from django.core.management.base import BaseCommand, CommandError

from scenarios.scenario_rows import scenario_export
from scenarios.models import Scenario


class Command(BaseCommand):
    help = "Write scenarios from the database as YAML files (one per scenario) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("slugs", nargs="*", help="only these scenarios (default: all)")

    def handle(self, *args, **options):
        queryset = Scenario.objects.all()
        if options["slugs"]:
            queryset = queryset.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(queryset.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"no such scenario: {', '.join(sorted(missing))}")
        os.makedirs(options["folder"], exist_ok=True)
        count = 0
        for obj in queryset:
            with open(os.path.join(options["folder"], f"{obj.slug}.yaml"), "w", encoding="utf-8") as fh:
                fh.write(scenario_export(obj))
            count += 1
        self.stdout.write(f"exported {count} scenarios to {options['folder']}")
