"""Lambda function summarize_quarantine of the file pipeline."""
