"""The internal complaints API (being written)."""

urlpatterns: list[object] = []
