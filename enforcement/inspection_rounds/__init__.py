"""督察整改: rounds, 边督边改 batches and their public 一览表 (DESIGN.md §8)."""
