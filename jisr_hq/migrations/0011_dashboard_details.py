# ruff: noqa: RUF012  (Django migration class attributes)
"""Sync health shows each desktop's version and rows kept aside; served facts carry a
workshop category or a program ("workshop:crafts", "guidance:rsu"); the days a person was
present at the nursery or the club give the days open and the average daily attendance."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jisr_hq", "0010_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="device",
            name="app_version",
            field=models.CharField(
                blank=True, default="", max_length=40, verbose_name="program version"
            ),
        ),
        migrations.AddField(
            model_name="device",
            name="kept_aside",
            field=models.PositiveIntegerField(default=0, verbose_name="rows kept aside"),
        ),
        migrations.AlterField(
            model_name="servedfact",
            name="service",
            field=models.CharField(max_length=60),
        ),
        migrations.AlterField(
            model_name="indicatorcell",
            name="indicator",
            field=models.CharField(max_length=80),
        ),
        migrations.CreateModel(
            name="ServedDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("center_id", models.UUIDField()),
                ("day", models.CharField(max_length=10)),
                ("service", models.CharField(max_length=20)),
                ("person_id", models.UUIDField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("center_id", "day", "service", "person_id"),
                        name="served_day_key",
                    )
                ],
            },
        ),
    ]
