"""Lambda function sla_monitor: publishes how many files are past the 15-minute SLA."""
