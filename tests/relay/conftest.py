"""Shared fixtures of the relay tests: the documented system and its network/chain/settings."""

import pytest

from energyrepro.relay.cases import load_system, settings_from_config


@pytest.fixture(scope="session")
def system():
    return load_system()


@pytest.fixture(scope="session")
def settings(system):
    return settings_from_config(system)
