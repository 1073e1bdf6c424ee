"""Lambda function merge_chunks of the file pipeline (large files)."""
