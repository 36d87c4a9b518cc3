"""Counsellors' keys for sealed notes (docs/security.md, "Sealed notes")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jisr_hq.models.reference import StaffAccount
from jisr_hq.models.sync import Device


class CaseKey(models.Model):
    """The public half of a counsellor's Ed25519 key on one counselling device, registered
    when she signed in there online with her HQ password. HQ holds no secret of it: a copy of
    HQ's database cannot sign a case note. Revoking the device, deactivating the staff account
    or revoking the key stops it."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="case_keys")
    staff = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, related_name="case_keys")
    key_id = models.CharField(max_length=16)
    public_key = models.CharField(max_length=60)
    revoked = models.BooleanField(_("revoked"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("counsellor key")
        verbose_name_plural = _("counsellor keys")
        constraints = (
            models.UniqueConstraint(
                fields=["device", "staff", "key_id"], name="casekey_device_staff_key"
            ),
        )

    def __str__(self) -> str:
        return f"{self.key_id} ({self.staff_id} on {self.device_id})"
