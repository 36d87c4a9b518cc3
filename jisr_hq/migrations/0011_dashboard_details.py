# ruff: noqa: RUF012  (Django migration class attributes)
"""Sync health shows each desktop's version and rows kept aside; served facts carry a
workshop category or a program ("workshop:crafts", "guidance:rsu")."""

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
    ]
