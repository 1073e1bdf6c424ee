"""Synth fixtures (`synth_of`, `local`, `prod`) live in tests/conftest.py, shared by all folders.

Re-exported here only for modules that import them from this path.
"""

from tests.conftest import local, prod, synth_of

__all__ = ["local", "prod", "synth_of"]
