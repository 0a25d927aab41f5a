"""The command-line door to the upload pipeline (UPL-1 to UPL-5)."""
import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from uploads.kinds import all_kinds
from uploads.models import Upload
from uploads.pipeline import flatten_errors, upload_create
from uploads.services import upload_start


class Command(BaseCommand):
    help = "Check a spreadsheet (a dry run) or, with --commit, write it. Exit 2 when the file is refused whole."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[kind.code for kind in all_kinds()])
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the staff account whose scope applies")
        parser.add_argument("--commit", action="store_true", help="write the valid rows (default: dry run)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {options['user']!r}") from None
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        upload = upload_create(user=user, kind_code=options["kind"], file_name=path.name, data=data)
        # Always in this process: the command waits for its answer anyway.
        upload = upload_start(upload=upload, commit=False, in_background=False)
        if upload.status == Upload.Status.PREVIEWED and options["commit"]:
            upload = upload_start(upload=upload, commit=True, in_background=False)
        rejected = list(flatten_errors(upload.errors))
        if options["json"]:
            if upload.status == Upload.Status.REFUSED:
                payload = {"kind": upload.kind, "refused": upload.message}
            else:
                payload = {"kind": upload.kind, "rows": upload.rows, "new": upload.new, "updated": upload.updated,
                           "unchanged": upload.unchanged, "rejected": rejected, "written": upload.written}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        elif upload.status == Upload.Status.REFUSED:
            self.stderr.write(upload.message)
        else:
            self.stdout.write(
                f"rows {upload.rows}, new {upload.new}, updated {upload.updated}, unchanged {upload.unchanged}, "
                f"rejected {upload.rejected}, written {upload.written}"
            )
            for error in rejected[:50]:
                self.stdout.write(f"  row {error['row']} {error['column']}: {error['reason']}")
            if not options["commit"]:
                self.stdout.write("dry run: nothing written (add --commit to write)")
        if upload.status == Upload.Status.REFUSED:
            sys.exit(2)

