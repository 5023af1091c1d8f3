"""Fixtures for ``overload serve``: a database (SQLite and PostgreSQL) with alice and bob, each with
an SSH key, and servers started in the test's event loop on a free port."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.serve.helpers import PASSWORD, new_key, public_text


@pytest.fixture
def world(database_url, data_dir):
    from overload_tui.services import Services
    from overload_tui.services.ssh_keys import SshKeyService

    services = Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        alice = services.auth.register("alice", "alice@example.com", PASSWORD, "Alice")
        bob = services.auth.register("bob", "bob@example.com", PASSWORD, "Bob")
        keys = SimpleNamespace(alice=new_key(), bob=new_key(), stranger=new_key())
        SshKeyService(services.db, alice.id).add(public_text(keys.alice))
        SshKeyService(services.db, bob.id).add(public_text(keys.bob))
        yield SimpleNamespace(url=database_url, data_dir=data_dir, services=services, alice=alice, bob=bob,
                              keys=keys)
    finally:
        services.close()


@pytest.fixture
async def start_gym(world):
    """``await start_gym(**config)``: a server on 127.0.0.1, a free port; stopped afterwards."""
    from overload_tui.serve.server import Gym, ServeConfig

    gyms = []

    async def start(**options):
        config = ServeConfig(host="127.0.0.1", port=0, database_url=world.url, data_dir=world.data_dir, **options)
        gym = Gym(config)
        await gym.start()
        gyms.append(gym)
        return gym

    yield start
    for gym in gyms:
        await gym.stop(grace=30)
