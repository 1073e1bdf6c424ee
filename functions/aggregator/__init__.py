"""Lambda function package (aggregator)."""
