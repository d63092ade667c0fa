"""数据看板: each responsible unit's indicators over a period, weekly trends and drill-down."""
