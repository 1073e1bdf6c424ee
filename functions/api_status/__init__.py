"""Lambda function package (api_status)."""
