"""Plan review: what a reviewer reads in a pull request, data loss first.

`terraform show -json` of each stack's saved plan, with the stack's synthesized `cdk.tf.json` for
construct paths, becomes one `StackReview` (`summary.review_stack`); `render` writes
`build/plans/summary.json` and `summary.md`. Works the same for a plan against AWS and against the
local emulator: it reads only terraform's JSON plan format.
"""

from localcloud.review.summary import StackReview, blocked_stack, review_stack

__all__ = ["StackReview", "blocked_stack", "review_stack"]
