"""Who may act on a damage case: the bureau's case handlers (执法人员, 法制审核员, 调度员) work it,
heads decide (启动, 协议, 诉讼, 结案, 终止), and whoever recorded the obligor's progress may not
verify it."""

from __future__ import annotations

import rules

from enforcement.penalties.rules import is_head, is_inspector, is_legal_reviewer
from workflow.permissions import handled_case, in_jurisdiction, is_dispatcher, is_verifier

can_handle = (is_inspector | is_legal_reviewer | is_dispatcher) & in_jurisdiction
can_decide = is_head & in_jurisdiction
can_verify = (is_verifier | is_head) & in_jurisdiction & ~handled_case

rules.add_rule("enforcement.damage_handle", can_handle)
rules.add_rule("enforcement.damage_decide", can_decide)
rules.add_rule("enforcement.damage_verify", can_verify)
