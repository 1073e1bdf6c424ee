"""Lambda function plan_chunks of the file pipeline (large files)."""
