"""CloudWatch alarm evaluation for the emulator: pure parts (statistics, metric math, M of N with
missing data, policy checks, notification shape) and the glue that runs them on moto's backend
(`localcloud.alarms.evaluator`).
"""
