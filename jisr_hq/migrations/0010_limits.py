# ruff: noqa: RUF012  (Django migration class attributes)
# Quotas and rate limits (jisr_hq/limits.py, docs/security.md "Quotas and rate limits").

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jisr_hq', '0009_own_rows'),
    ]

    operations = [
        migrations.CreateModel(
            name='RateWindow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120, unique=True)),
                ('started', models.DateTimeField()),
                ('hits', models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='DeviceDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('ops', models.BigIntegerField(default=0)),
                ('bytes', models.BigIntegerField(default=0)),
                ('conflicts', models.BigIntegerField(default=0)),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='jisr_hq.device')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('device', 'day'), name='device_day_key')],
            },
        ),
    ]
