"""Glue Data Catalog table over the processed Parquet (partition projection) + Athena workgroup."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.athena_workgroup import (
    AthenaWorkgroup,
    AthenaWorkgroupConfiguration,
    AthenaWorkgroupConfigurationResultConfiguration,
    AthenaWorkgroupConfigurationResultConfigurationEncryptionConfiguration,
)
from cdktf_cdktf_provider_aws.glue_catalog_database import GlueCatalogDatabase
from cdktf_cdktf_provider_aws.glue_catalog_table import (
    GlueCatalogTable,
    GlueCatalogTablePartitionKeys,
    GlueCatalogTableStorageDescriptor,
    GlueCatalogTableStorageDescriptorColumns,
    GlueCatalogTableStorageDescriptorSerDeInfo,
)
from constructs import Construct

from stacks.naming import Namer
from txnpipe.layout import PROCESSED_PREFIX

# Mirrors functions/txnpipe/domain/schema.py PROCESSED_SCHEMA (a test keeps them equal).
COLUMNS = (
    ("transaction_id", "string"), ("account_id", "string"), ("amount", "string"), ("currency", "string"),
    ("transaction_type", "string"), ("timestamp", "string"), ("merchant_id", "string"), ("description", "string"),
    ("amount_minor", "bigint"), ("signed_amount_minor", "bigint"), ("timestamp_utc", "timestamp"),
    ("file_id", "string"), ("source_row", "bigint"), ("ingested_at", "string"),
)


class TransactionsCatalog(Construct):
    """Queryable with no crawler: partitions are projected from the S3 layout the pipeline writes."""

    def __init__(self, scope: Construct, id: str, *, namer: Namer, processed_bucket: str,
                 results_bucket: str, kms_key_arn: str, force_destroy: bool) -> None:
        super().__init__(scope, id)
        self.database = GlueCatalogDatabase(self, "database", name=namer.name("analytics").replace("-", "_"))
        location = f"s3://{processed_bucket}/{PROCESSED_PREFIX}/"
        self.table = GlueCatalogTable(
            self, "transactions", database_name=self.database.name, name="transactions", table_type="EXTERNAL_TABLE",
            partition_keys=[GlueCatalogTablePartitionKeys(name="transaction_date", type="string"),
                            GlueCatalogTablePartitionKeys(name="partner_id", type="string")],
            parameters={
                "classification": "parquet", "parquet.compression": "SNAPPY", "projection.enabled": "true",
                "projection.transaction_date.type": "date", "projection.transaction_date.format": "yyyy-MM-dd",
                "projection.transaction_date.range": "2020-01-01,NOW", "projection.transaction_date.interval": "1",
                "projection.transaction_date.interval.unit": "DAYS",
                # Partners are open-ended: queries name the partner (WHERE partner_id = '...').
                "projection.partner_id.type": "injected",
                # "$${" is Terraform's escape for a literal "${" (Athena fills these in).
                "storage.location.template": f"{location}transaction_date=$${{transaction_date}}/partner_id=$${{partner_id}}",
            },
            storage_descriptor=GlueCatalogTableStorageDescriptor(
                location=location,
                input_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                output_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                ser_de_info=GlueCatalogTableStorageDescriptorSerDeInfo(
                    serialization_library="org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
                columns=[GlueCatalogTableStorageDescriptorColumns(name=n, type=t) for n, t in COLUMNS],
            ),
        )
        self.workgroup = AthenaWorkgroup(
            self, "workgroup", name=namer.name("analytics"), force_destroy=force_destroy,
            configuration=AthenaWorkgroupConfiguration(
                enforce_workgroup_configuration=True, publish_cloudwatch_metrics_enabled=True,
                result_configuration=AthenaWorkgroupConfigurationResultConfiguration(
                    output_location=f"s3://{results_bucket}/athena-results/",
                    encryption_configuration=AthenaWorkgroupConfigurationResultConfigurationEncryptionConfiguration(
                        encryption_option="SSE_KMS", kms_key_arn=kms_key_arn),
                ),
            ),
        )
