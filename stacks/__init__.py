"""The pipeline's CDKTF stacks.

Importing this package first registers the AWS provider bindings as a bare namespace
package: `cdktf_cdktf_provider_aws/__init__.py` eagerly imports ~2,200 submodules
(~14 s per process, upstream hashicorp/terraform-cdk#3753). Our modules import only the
submodules they use (`from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket`), which
produces byte-identical output in a fraction of the time.
"""

import sys

from stacks._provider_import import register_provider_namespace
from stacks.paths import FUNCTIONS_DIR

register_provider_namespace()
# Stacks and handlers share one definition of what crosses between them (txnpipe.file_validation,
# txnpipe.function_environments, txnpipe.layout, txnpipe.manifests).
if str(FUNCTIONS_DIR) not in sys.path:
    sys.path.append(str(FUNCTIONS_DIR))
