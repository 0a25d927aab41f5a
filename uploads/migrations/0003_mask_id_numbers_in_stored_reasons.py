"""MEM-4: row-error reasons stored before they were masked may quote full ID numbers; mask them.
The cells of rejected rows are encrypted and untouched (they are the uploader's own file)."""
from django.db import migrations


def mask_stored_reasons(apps, schema_editor):
    # A pure function of text, no model: safe to import from a migration.
    from core.identity import mask_id_numbers_in_text

    Upload = apps.get_model("uploads", "Upload")
    for upload in Upload.objects.exclude(errors=[]).only("id", "errors").iterator(chunk_size=100):
        errors = [
            {**entry, "errors": [[column, mask_id_numbers_in_text(reason)] for column, reason in entry["errors"]]}
            for entry in upload.errors
        ]
        if errors != upload.errors:
            Upload.objects.filter(pk=upload.pk).update(errors=errors)
    for upload in Upload.objects.exclude(message="").only("id", "message").iterator(chunk_size=500):
        message = mask_id_numbers_in_text(upload.message)
        if message != upload.message:
            Upload.objects.filter(pk=upload.pk).update(message=message)


class Migration(migrations.Migration):
    dependencies = [("uploads", "0002_rejected_rows_reveal"), ("membership", "0006_id_number_lookup")]

    operations = [migrations.RunPython(mask_stored_reasons, migrations.RunPython.noop)]
