"""The session synth fixtures of tests/infra, shared (one synth per workspace per session)."""

from tests.infra.conftest import local, prod, synth_of  # noqa: F401
