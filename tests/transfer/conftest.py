"""Fixtures for the import/export tests: alice's and bob's transfer services."""

from __future__ import annotations

import pytest


@pytest.fixture
def transfer(services, alice):
    from overload_tui.services.transfer import TransferService

    return TransferService(services.db, alice.id)


@pytest.fixture
def bob_transfer(services, bob):
    from overload_tui.services.transfer import TransferService

    return TransferService(services.db, bob.id)

