"""Lambda function package (api_ingest)."""
