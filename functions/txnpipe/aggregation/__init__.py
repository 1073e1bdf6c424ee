"""Daily roll-ups of stored transactions (pure, no AWS)."""
