"""The bureau's rhythm: 日分析, 周调度, 月通报 and the rules they apply."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def digest(content: dict[str, Any]) -> str:
    """The sha256 of a document's content in canonical JSON: what its page checks, and what a
    changed row (past the trigger) would no longer match."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
