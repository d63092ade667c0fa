"""日分析·周调度·月通报: the bureau's rhythm of documents (so far: 日分析)."""
