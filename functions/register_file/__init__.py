"""Lambda function register_file of the file pipeline."""
