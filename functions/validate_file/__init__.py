"""Lambda function validate_file of the file pipeline."""
