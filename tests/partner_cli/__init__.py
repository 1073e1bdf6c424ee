"""Tests of the partner CLI (txnpipe-validate) and of its stand-alone distribution (partner-cli/)."""
