# ruff: noqa: RUF012  (Django migration class attributes)
"""Receipts per batch instead of per op; lean bulk tables (see the comment in models/sync.py).

Existing per-op receipts become batch receipts (runs of consecutive seqs of one stream, at most
500 ops each), so a replay of a batch applied before this migration is still recognised.
"""

import django.db.models.deletion
from django.db import migrations, models

RUN = 500


def receipts_per_batch(apps, schema_editor):  # type: ignore[no-untyped-def]
    OpReceipt = apps.get_model("jisr_hq", "OpReceipt")
    BatchReceipt = apps.get_model("jisr_hq", "BatchReceipt")
    run: list = []
    made: list = []

    def close_run() -> None:
        if run:
            made.append(
                BatchReceipt(
                    center_id=run[0].center_id,
                    device_id=run[0].device_id,
                    epoch=run[0].epoch,
                    first_seq=run[0].seq,
                    last_seq=run[-1].seq,
                    digests=b"".join(bytes.fromhex(r.digest) for r in run),
                    digest_v=1,
                    rejected={str(r.seq): r.rejected for r in run if r.rejected},
                )
            )
            run.clear()

    for r in OpReceipt.objects.order_by("device_id", "epoch", "seq").iterator(chunk_size=2000):
        last = run[-1] if run else None
        if last is not None and (
            (last.device_id, last.epoch, last.seq + 1) != (r.device_id, r.epoch, r.seq)
            or len(run) >= RUN
        ):
            close_run()
        run.append(r)
        if len(made) >= 200:
            BatchReceipt.objects.bulk_create(made)
            made.clear()
    close_run()
    BatchReceipt.objects.bulk_create(made)


class Migration(migrations.Migration):
    dependencies = [
        ("jisr_hq", "0003_conflict_resolution"),
    ]

    operations = [
        migrations.CreateModel(
            name="BatchReceipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("epoch", models.BigIntegerField()),
                ("first_seq", models.BigIntegerField()),
                ("last_seq", models.BigIntegerField()),
                ("digests", models.BinaryField()),
                ("digest_v", models.PositiveSmallIntegerField(default=2)),
                ("rejected", models.JSONField(default=dict)),
                (
                    "center",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="jisr_hq.center",
                    ),
                ),
                (
                    "device",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="jisr_hq.device",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("device", "epoch", "first_seq"), name="receipt_device_epoch_first"
                    )
                ],
            },
        ),
        migrations.RunPython(receipts_per_batch, migrations.RunPython.noop),
        migrations.DeleteModel(name="OpReceipt"),
        migrations.RemoveConstraint(model_name="event", name="event_center_entity_id"),
        migrations.RemoveConstraint(model_name="record", name="record_center_entity_id"),
        migrations.RemoveIndex(model_name="event", name="event_entity_id"),
        migrations.RemoveIndex(model_name="record", name="record_entity_id"),
        migrations.AlterField(
            model_name="event",
            name="center",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="jisr_hq.center",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="device",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="jisr_hq.device",
            ),
        ),
        migrations.AlterField(
            model_name="record",
            name="center",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="jisr_hq.center",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(
                fields=("entity_id", "entity", "center"), name="event_entity_center"
            ),
        ),
        migrations.AddConstraint(
            model_name="record",
            constraint=models.UniqueConstraint(
                fields=("entity_id", "entity", "center"), name="record_entity_center"
            ),
        ),
    ]
