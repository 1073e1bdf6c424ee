"""Lambda function load_transactions of the file pipeline."""
