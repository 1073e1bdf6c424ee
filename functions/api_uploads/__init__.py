"""Lambda function package (api_uploads)."""
