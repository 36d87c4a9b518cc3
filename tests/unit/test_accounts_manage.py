"""Account management by coordinators: deactivate, reset and change passwords, unlock."""

from __future__ import annotations

import pytest

from jisr_desktop import errors
from jisr_desktop.context import Context, User
from jisr_desktop.services import accounts


def test_receptionist_cannot_manage_accounts(ctx: Context, coordinator: User) -> None:
    with pytest.raises(errors.PermissionDenied):
        accounts.list_accounts(ctx=ctx)
    with pytest.raises(errors.PermissionDenied):
        accounts.set_active(ctx=ctx, user_id=coordinator.id, active=False)
    with pytest.raises(errors.PermissionDenied):
        accounts.reset_password(ctx=ctx, user_id=coordinator.id, new_password="whatever123")


def test_deactivated_account_cannot_sign_in(coord_ctx: Context, receptionist: User) -> None:
    accounts.set_active(ctx=coord_ctx, user_id=receptionist.id, active=False)
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(ctx=coord_ctx, username="recep", password="correct horse")
    accounts.set_active(ctx=coord_ctx, user_id=receptionist.id, active=True)
    assert accounts.sign_in(ctx=coord_ctx, username="recep", password="correct horse").id == receptionist.id


def test_coordinator_cannot_deactivate_self(coord_ctx: Context) -> None:
    with pytest.raises(errors.JisrError):
        accounts.set_active(ctx=coord_ctx, user_id=coord_ctx.user.id, active=False)


def test_reset_and_change_password(coord_ctx: Context, ctx: Context, receptionist: User) -> None:
    accounts.reset_password(ctx=coord_ctx, user_id=receptionist.id, new_password="new password 1")
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(ctx=ctx, username="recep", password="correct horse")
    with pytest.raises(errors.JisrError) as caught:
        accounts.change_password(ctx=ctx, old_password="wrong", new_password="another one 2")
    assert caught.value.field == "old_password"
    with pytest.raises(errors.JisrError) as short:
        accounts.change_password(ctx=ctx, old_password="new password 1", new_password="short")
    assert short.value.field == "password"
    accounts.change_password(ctx=ctx, old_password="new password 1", new_password="another one 2")
    assert accounts.unlock(ctx=ctx, password="another one 2").id == receptionist.id
