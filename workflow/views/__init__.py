"""The staff web console: server-rendered pages, htmx for the parts that refresh in place."""
