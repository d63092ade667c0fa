"""Open311 GeoReport v2 (being written)."""

urlpatterns: list[object] = []
