"""Open311 GeoReport v2 for complaints: our 11 categories as services, POST a report, follow it.

Spec: http://wiki.open311.org/GeoReport_v2/ (frozen). What this endpoint does with it:

* `discovery.{json,xml}` is the Service Discovery file the spec requires beside the API.
* One jurisdiction: `jurisdiction_id` is ignored, as the spec allows for single-jurisdiction
  endpoints. JSON and XML, chosen only by the ``.json`` / ``.xml`` suffix.
* Services are `ComplaintCategory`; `metadata` is true because the service definition offers
  optional attributes (the reported unit, the bureau, since when, reply and reward wishes).
* POST is validated by `SubmissionForm`, the web form's own validation, then filed by
  `services.submit`. It answers with a **token** (the complaint's tracking code), so services are
  of type ``batch``: the spec forbids returning both a token and a service_request_id, and
  ``tokens/{token}`` turns the token into the service_request_id (the public case number).
  The token is the reporter's secret: whoever holds it may rate the reply on the web.
* `media_url` is accepted and ignored: the server has no internet egress and never fetches remote
  media. `api_key`, `device_id` and `account_id` are ignored; public POSTs are throttled per
  client address instead of keyed.

Privacy. GET requests returns **public-safe fields only**: the case number, open/closed, the
stage in plain language (`progress`), the category, the bureau and the dates. Never the
description, the address, the coordinates or media, the tracking code, the reporter, or who
handles it inside which unit: a neighbour's noise complaint with an address and a date
identifies the reporter to the neighbour. The spec lists description/address/lat/long in the
response but a server may leave out what it does not publish; clients that need the place
must ask the reporter, not us.

Errors use the spec's shape, ``[{"code": 400, "description": "…"}]`` (``<errors><error>`` in XML):
404 for an unknown service_code, service_request_id or token, 429 when throttled, 400 otherwise.
"""

from enforcement.complaints.open311.catalogue import Discovery, ServiceDefinition, ServiceList
from enforcement.complaints.open311.requests import (
    ServiceRequestDetail,
    ServiceRequests,
    TokenLookup,
)

__all__ = [
    "Discovery",
    "ServiceDefinition",
    "ServiceList",
    "ServiceRequestDetail",
    "ServiceRequests",
    "TokenLookup",
]
