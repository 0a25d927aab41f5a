"""EDU-9: the credit ledger. Creates the entries and accounts, then writes the entries the
existing completions, training records, activities and conversions earn by the rules in force on
their days (the same rules as courses.ledger: the rule's formula, its yearly cap per source)."""
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

ZERO = Decimal(0)


def _in_force(rules, source, on):
    for rule in rules.get(source, ()):
        if rule.valid_from <= on and (rule.valid_to is None or on <= rule.valid_to):
            return rule
    return None


def _amount(rule, hours, course_credits):
    if rule.use_course_credits and course_credits is not None:
        amount = course_credits
    elif rule.credits_per_hour:
        amount = (hours or ZERO) * rule.credits_per_hour
    else:
        amount = rule.credits_each
    return amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def backfill(apps, schema_editor):
    get = lambda name: apps.get_model("courses", name)  # noqa: E731
    ContentType = apps.get_model("contenttypes", "ContentType")
    Worker = apps.get_model("membership", "Worker")
    CreditEntry, CreditAccount = get("CreditEntry"), get("CreditAccount")
    types = {name: ContentType.objects.get_or_create(app_label="courses", model=name)[0]
             for name in ("enrolment", "trainingrecord", "activityregistration", "coursewareprogress", "creditconversion")}
    rules = defaultdict(list)
    for rule in get("CreditRule").objects.order_by("-valid_from"):
        rules[rule.source].append(rule)
    # (worker, earned on, source kind, content type, source id, cause, hours, course credits)
    earnings = []
    for e in get("Enrolment").objects.filter(status="completed").select_related("course_class__course"):
        course = e.course_class.course
        earnings.append((e.worker_id, e.completed_on or e.course_class.ends_on, "course", "enrolment", e.pk,
                         f"{course.title} · {e.course_class.name}", course.hours, course.credits))
    for r in get("TrainingRecord").objects.all():
        earnings.append((r.worker_id, r.completed_on, "training", "trainingrecord", r.pk, r.project, r.hours, None))
    for r in get("ActivityRegistration").objects.filter(status="attended").select_related("activity"):
        cause = " · ".join(x for x in (r.activity.title, r.result) if x)
        earnings.append((r.worker_id, r.activity.ends_on, "activity", "activityregistration", r.pk, cause, None, None))
    for p in get("CoursewareProgress").objects.filter(percent=100).select_related("courseware"):
        earnings.append((p.worker_id, p.updated_at.date(), "courseware", "coursewareprogress", p.pk, p.courseware.title,
                         None, None))
    units = dict(Worker.objects.values_list("id", "unit_id"))
    earned, balances, entries = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO), []
    for worker_id, on, kind, model, pk, cause, hours, course_credits in sorted(earnings, key=lambda e: (e[1], e[2], e[4])):
        rule = _in_force(rules, kind, on)
        if rule is None:
            continue
        amount = _amount(rule, hours, course_credits)
        if rule.cap_per_year is not None:
            amount = max(min(amount, rule.cap_per_year - earned[(worker_id, kind, on.year)]), ZERO)
        earned[(worker_id, kind, on.year)] += amount
        balances[worker_id] += amount
        entries.append(CreditEntry(worker_id=worker_id, unit_id=units[worker_id], earned_on=on, source_kind=kind,
                                   source_type=types[model], source_id=pk, cause=cause[:300], rule=rule, credits=amount))
    for c in get("CreditConversion").objects.order_by("converted_on", "id"):
        balances[c.worker_id] -= c.credits
        entries.append(CreditEntry(worker_id=c.worker_id, unit_id=units[c.worker_id], earned_on=c.converted_on,
                                   source_kind="conversion", source_type=types["creditconversion"], source_id=c.pk,
                                   cause=f"{c.institution} · {c.programme}"[:300], credits=-c.credits))
    overspent = sorted(worker_id for worker_id, balance in balances.items() if balance < 0)
    if overspent:
        raise RuntimeError(f"Conversions exceed the credits earned for workers {overspent[:20]}: correct them first")
    CreditEntry.objects.bulk_create(entries, batch_size=2000)
    CreditAccount.objects.bulk_create([CreditAccount(worker_id=w, balance=b) for w, b in balances.items()], batch_size=2000)


def unfill(apps, schema_editor):
    apps.get_model("courses", "CreditEntry").objects.all().delete()
    apps.get_model("courses", "CreditAccount").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('courses', '0011_audit_triggers'),
        ('membership', '0007_audit_triggers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='creditrule',
            name='source',
            field=models.CharField(choices=[('course', 'Course completed in the portal'), ('training', 'Uploaded training completion'), ('certificate', 'Skill certificate'), ('activity', 'Activity participation'), ('courseware', 'Courseware completed'), ('competition', 'Skills competition'), ('honour', 'Honour')], max_length=16, verbose_name='source'),
        ),
        migrations.CreateModel(
            name='CreditAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('balance', models.DecimalField(decimal_places=1, default=0, max_digits=8, verbose_name='balance')),
                ('worker', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='credit_account', to='membership.worker', verbose_name='worker')),
            ],
            options={
                'verbose_name': 'credit account',
                'verbose_name_plural': 'credit accounts',
                'constraints': [models.CheckConstraint(condition=models.Q(('balance__gte', 0)), name='credit_balance_never_negative')],
            },
        ),
        migrations.CreateModel(
            name='CreditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('earned_on', models.DateField(db_index=True, verbose_name='date earned')),
                ('source_kind', models.CharField(choices=[('course', 'Class completion'), ('training', 'Training record'), ('courseware', 'Courseware completion'), ('activity', 'Activity participation'), ('certificate', 'Skill certificate'), ('competition', 'Skills competition'), ('honour', 'Honour'), ('conversion', 'Conversion to academic credits')], max_length=16, verbose_name='source')),
                ('source_id', models.PositiveBigIntegerField(verbose_name='source id')),
                ('cause', models.CharField(max_length=300, verbose_name='cause')),
                ('credits', models.DecimalField(decimal_places=1, max_digits=6, verbose_name='credits')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('rule', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='courses.creditrule', verbose_name='credit rule in force')),
                ('source_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='source type')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='credit_entries', to='membership.unit', verbose_name='unit at the time')),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='credit_entries', to='membership.worker', verbose_name='worker')),
            ],
            options={
                'verbose_name': 'credit entry',
                'verbose_name_plural': 'credit entries',
                'ordering': ['-earned_on', '-id'],
                'indexes': [models.Index(fields=['worker', 'source_kind', 'earned_on'], name='courses_cre_worker__d69ee8_idx')],
                'constraints': [models.UniqueConstraint(fields=('source_type', 'source_id'), name='one_credit_entry_per_source'), models.CheckConstraint(condition=models.Q(models.Q(('source_kind', 'conversion'), ('credits__lt', 0)), models.Q(models.Q(('source_kind', 'conversion'), _negated=True), ('credits__gte', 0)), _connector='OR'), name='credit_entry_sign_follows_source')],
            },
        ),
        migrations.RunPython(backfill, unfill),
        # After the backfill, so that reversing removes it before the entries are deleted.
        pgtrigger.migrations.AddTrigger(
            model_name='creditentry',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='5e30f3e75d8ced2cc2d09057d2913f24247c2060', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_cfed3', table='courses_creditentry', when='BEFORE')),
        ),
    ]
