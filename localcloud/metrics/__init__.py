"""CloudWatch metrics the emulated AWS services publish, written into moto's CloudWatch backend in-process.

`publish` is the one place that writes datapoints (under the CloudWatch request lock); one module per
source builds them the way AWS does (names, namespaces, dimensions, units as each service's
documentation lists them): `lambda_invocations`, `sqs_sampler`, `stepfunctions_executions`,
`apigateway_requests`, and from log events `emf` (embedded metric format) and `log_filters`
(metric filters, with the pattern language of `filter_pattern`). The moto glue that calls them is
`localcloud.patches.service_metrics` and `localcloud.patches.logs_metrics`.
"""
