"""Commitments can be withdrawn with a public reason: a "withdrawn" status, the reason, when
and by whom. A withdrawn commitment is no longer open, so the database's ``finished`` and
``list_key`` columns count it with the finished ones. Django cannot change a generated column
in place, so the two columns (and the indexes on them) are made again."""

import django.db.models.deletion
import django.db.models.expressions
import nhs_citizen.tracker.models
from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("not_done", "Not done"),
    ("withdrawn", "Withdrawn"),
]
FINISHED = ("done", "not_done", "withdrawn")
INDEXES = [
    ("tracker_com_order", ["list_key", "id"]),
    ("tracker_com_body_order", ["organisation", "list_key", "id"]),
    ("tracker_com_cycle_order", ["cycle", "list_key", "id"]),
    ("tracker_com_topic_order", ["topic", "list_key", "id"]),
    ("tracker_com_open_order", ["finished", "due_date", "id"]),
]


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0003_scale_sort_keys_and_summaries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="commitment",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="withdrawn_reason",
            field=models.TextField(blank=True, max_length=3000),
        ),
        migrations.AddField(
            model_name="bodycommitmentsummary",
            name="withdrawn",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="commitmenttotals",
            name="withdrawn",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="status",
            field=models.CharField(
                choices=STATUS_CHOICES, db_index=True, default="not_started", max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="commitmentupdate",
            name="previous_status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="commitmentupdate",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="stocktakeitem",
            name="status_then",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        *[migrations.RemoveIndex(model_name="commitment", name=name) for name, _ in INDEXES],
        migrations.RemoveField(model_name="commitment", name="finished"),
        migrations.RemoveField(model_name="commitment", name="list_key"),
        migrations.AddField(
            model_name="commitment",
            name="finished",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(status__in=FINISHED, then=models.Value(True)),
                    default=models.Value(False),
                    output_field=models.BooleanField(),
                ),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="list_key",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        status__in=FINISHED,
                        then=django.db.models.expressions.CombinedExpression(
                            nhs_citizen.tracker.models.DaysFrom1970(models.F("due_date")),
                            "+",
                            models.Value(1000000),
                        ),
                    ),
                    default=nhs_citizen.tracker.models.DaysFrom1970(models.F("due_date")),
                    output_field=models.IntegerField(),
                ),
                output_field=models.IntegerField(),
            ),
        ),
        *[
            migrations.AddIndex(
                model_name="commitment", index=models.Index(fields=fields, name=name)
            )
            for name, fields in INDEXES
        ],
    ]
