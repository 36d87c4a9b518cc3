# ruff: noqa: RUF012  (Django migration class attributes)
# Own rows not sent back to their author (jisr_hq/own_rows.py, docs/sync.md "Own rows").

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jisr_hq', '0008_indicator_stale'),
    ]

    operations = [
        migrations.CreateModel(
            name='EpochClock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('epoch', models.BigIntegerField()),
                ('clock', models.CharField(blank=True, max_length=100)),
                ('hlc_min', models.CharField(max_length=130)),
                ('hlc_max', models.CharField(max_length=130)),
                ('center', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, to='jisr_hq.center')),
                ('device', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, to='jisr_hq.device')),
            ],
            options={
                'indexes': [models.Index(fields=['center', 'clock'], name='epoch_clock_center')],
                'constraints': [models.UniqueConstraint(fields=('device', 'epoch'), name='epoch_clock_device')],
            },
        ),
        migrations.CreateModel(
            name='PullMark',
            fields=[
                ('device', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, primary_key=True, serialize=False, to='jisr_hq.device')),
                ('handed', models.JSONField(default=list)),
                ('bands', models.JSONField(default=dict)),
            ],
        ),
    ]
