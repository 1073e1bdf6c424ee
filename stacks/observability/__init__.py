"""The observability stack and the registry every other stack fills for it.

`registry` (what a stack asks to be watched), `stack` (merges the registries), `names` (plain names
instead of cross-stack tokens), `alarms` (one rule per kind of resource), `dashboard`.
"""
