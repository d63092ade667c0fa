"""The enterprise registry (排污单位): its pages and its CSV/Excel import."""
