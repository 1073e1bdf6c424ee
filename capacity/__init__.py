"""Capacity and cost: the load plan and the cost model, computed from the synthesized Terraform JSON.

`synthesized` reads the settings (Lambda sizes, the state machine, tables, API, logs) out of
`cdktf.out/`; `facts` loads the dated, sourced price table and measurements kept beside the code;
`load_plan` and `cost_model` are the arithmetic. Pure code: no CDKTF import, no AWS call.
"""

import stacks  # noqa: F401  (puts functions/ on sys.path: capacity reads txnpipe records)
