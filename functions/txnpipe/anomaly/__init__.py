"""Explainable anomaly rules over stored transactions (pure, no AWS)."""
