import json

from django.core.management.base import BaseCommand, CommandError

from reporting import services
from reporting.models import Run


class Command(BaseCommand):
    help = "Compute the plan's indicators now, in the foreground, and record the computation as a run (REP-1)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="compute this year only")
        parser.add_argument("--json", action="store_true", help="print the values as one JSON list on the last line")

    def handle(self, *args, **options):
        years = [options["year"]] if options["year"] else None
        try:
            run = services.run_compute(trigger=Run.Trigger.COMMAND, years=years)
        except services.RunInProgress:
            raise CommandError("另一次指标计算正在进行，请稍后再试") from None
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(f"run {run.pk}: {run.get_status_display()}, {run.values_written} values, "
                          f"years {run.first_year}–{run.last_year}, {seconds:.1f} s")
        if options["json"]:
            values = run.values.select_related("indicator", "unit").order_by("indicator__position", "indicator__code",
                                                                               "unit__path", "year")
            self.stdout.write(json.dumps([{
                "code": value.indicator.code, "unit": value.unit.code, "year": value.year,
                "numerator": _number(value.numerator), "denominator": _number(value.denominator),
                "value": _number(value.value), "target": value.target_text or None, "met": value.met,
            } for value in values], ensure_ascii=False))


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
