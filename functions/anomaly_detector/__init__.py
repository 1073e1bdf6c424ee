"""Lambda function package (anomaly_detector)."""
