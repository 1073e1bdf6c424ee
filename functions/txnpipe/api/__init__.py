"""Pure code of the REST API: request parsing, keys, idempotency fingerprints, views (no AWS)."""
