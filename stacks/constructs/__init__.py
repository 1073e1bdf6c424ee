"""Reusable constructs: secure buckets, Python Lambda functions, policy helpers."""
