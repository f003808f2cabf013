"""The `world` fixture (tests/security/world.py) for every test in this folder."""
from tests.security.world import world  # noqa: F401
