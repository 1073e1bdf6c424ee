"""The dependencies layer as Terraform resources (uploaded through S3: it is ~50 MB zipped)."""

from __future__ import annotations

from cdktf import AssetType, TerraformAsset
from cdktf_cdktf_provider_aws.lambda_layer_version import LambdaLayerVersion
from cdktf_cdktf_provider_aws.s3_object import S3Object
from constructs import Construct

from stacks.constructs.layer_build import build_layer
from stacks.constructs.python_function import RUNTIME
from stacks.paths import BUILD_DIR, ROOT


class DependenciesLayer(Construct):
    """Powertools, pyarrow and a pinned boto3, exactly as locked, for the Lambda platform."""

    def __init__(self, scope: Construct, id: str, *, name: str, artifacts_bucket: str) -> None:
        super().__init__(scope, id)
        archive = build_layer(lock_file=ROOT / "Pipfile.lock", build_dir=BUILD_DIR)
        asset = TerraformAsset(self, "zip", path=str(archive.path), type=AssetType.FILE)
        key = f"layers/{archive.path.name}"
        self.object = S3Object(
            self, "object", bucket=artifacts_bucket, key=key, source=asset.path, source_hash=archive.sha256_b64,
        )
        self.layer = LambdaLayerVersion(
            self, "layer", layer_name=name, compatible_runtimes=[RUNTIME],
            compatible_architectures=["x86_64"], s3_bucket=self.object.bucket, s3_key=self.object.key,
            source_code_hash=archive.sha256_b64,
        )
        self.arn = self.layer.arn
