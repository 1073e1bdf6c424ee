"""Unit tests of the pure domain code (txnpipe.domain)."""
