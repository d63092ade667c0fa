"""Who signs a 督察 task's 销号: a leader of its bureau or above (审签), who did not do the unit's
work and did not accept it (谁验收、谁负责: the acceptor answers for the acceptance, the leader
for the closure)."""

from __future__ import annotations

import rules

from workflow.permissions import handled_case, in_jurisdiction, is_case_verifier, is_leader

can_sign = is_leader & in_jurisdiction & ~handled_case & ~is_case_verifier

rules.add_rule("enforcement.sign_rectification", can_sign)
