"""Open311 GeoReport v2: our complaint categories as services, their attributes, the discovery
file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.request import Request
from rest_framework.response import Response

from enforcement.complaints.open311.protocol import Open311View, not_found
from enforcement.complaints.submission import bureau_choices
from enforcement.models import ComplaintCategory

SERVICE_GROUP = gettext_lazy("生态环境")
SERVICES: dict[str, tuple[Promise, Promise]] = {
    ComplaintCategory.AIR: (
        gettext_lazy("工厂、锅炉、车辆等排放废气、黑烟，焚烧垃圾或秸秆。"),
        gettext_lazy("废气,黑烟,烟尘,焚烧,大气污染"),
    ),
    ComplaintCategory.WATER: (
        gettext_lazy("向河流、湖泊、沟渠偷排废水，水体变色、发臭或死鱼。"),
        gettext_lazy("废水,排污口,偷排,黑臭水体,水污染"),
    ),
    ComplaintCategory.NOISE: (
        gettext_lazy("工业生产、建筑施工、社会生活等噪声扰民，尤其是夜间施工。"),
        gettext_lazy("噪声,夜间施工,扰民,振动"),
    ),
    ComplaintCategory.SOLID_WASTE: (
        gettext_lazy("倾倒、堆放工业固体废物、危险废物或建筑垃圾。"),
        gettext_lazy("固废,危废,倾倒,堆放,建筑垃圾"),
    ),
    ComplaintCategory.SOIL: (
        gettext_lazy("土壤被污染，农田、场地受到废渣、废液影响。"),
        gettext_lazy("土壤污染,农田,场地,废渣"),
    ),
    ComplaintCategory.RADIATION: (
        gettext_lazy("放射源、射线装置或电磁辐射设施的安全问题。"),
        gettext_lazy("辐射,放射源,电磁,基站"),
    ),
    ComplaintCategory.ECOLOGY: (
        gettext_lazy("破坏植被、湿地、自然保护地，非法采砂采矿。"),
        gettext_lazy("生态破坏,植被,湿地,保护区,采砂"),
    ),
    ComplaintCategory.CATERING_FUMES: (
        gettext_lazy("餐馆、食堂等油烟直排或净化设施不运行。"),
        gettext_lazy("油烟,餐饮,饭店,烧烤"),
    ),
    ComplaintCategory.DUST: (
        gettext_lazy("工地、料场、道路运输等未采取防尘措施。"),
        gettext_lazy("扬尘,工地,渣土车,料场"),
    ),
    ComplaintCategory.ODOUR: (
        gettext_lazy("垃圾站、养殖场、化工企业等散发异味、臭气。"),
        gettext_lazy("恶臭,异味,臭气,养殖"),
    ),
    ComplaintCategory.OTHER: (
        gettext_lazy("其他生态环境问题。"),
        gettext_lazy("其他,环境问题"),
    ),
}
MEDIA_NOTE = gettext_lazy("本接口不下载 media_url 指向的远程文件；照片请通过网上投诉页面上传。")

#: The optional attributes of every service: (code, datatype, description).
ATTRIBUTES: list[tuple[str, str, Promise]] = [
    ("target_name", "string", gettext_lazy("被反映单位名称")),
    ("target_uscc", "string", gettext_lazy("被反映单位统一社会信用代码（18位）")),
    ("target_address", "string", gettext_lazy("被反映单位地址")),
    ("jurisdiction", "singlevaluelist", gettext_lazy("所在区县（不清楚可不填，由市局分办）")),
    ("since", "datetime", gettext_lazy("问题开始时间")),
    ("ongoing", "singlevaluelist", gettext_lazy("问题是否仍在持续")),
    ("anonymous", "singlevaluelist", gettext_lazy("匿名反映（不留姓名和联系方式）")),
    ("wants_reply", "singlevaluelist", gettext_lazy("是否需要答复")),
    ("wants_reward", "singlevaluelist", gettext_lazy("申请举报奖励（仅限实名）")),
    ("id_number", "string", gettext_lazy("身份证号码（仅申请举报奖励时需要）")),
]

#: Form field → the Open311 parameter a client sent it as (for error descriptions).
PARAMETERS = {
    "category": "service_code",
    "location": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "description": "description",
    "name": "last_name",
    "phone": "phone",
    "email": "email",
    **{code: f"attribute[{code}]" for code, _datatype, _text in ATTRIBUTES},
}
TRUE = {"true", "1", "yes", "on"}


# --- discovery, services ---------------------------------------------------------------------

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: When this endpoint's behaviour last changed (Service Discovery's changeset).
CHANGESET = "2026-11-25T00:00:00+08:00"


class Discovery(Open311View):
    """Service Discovery, which GeoReport v2 requires beside the API: where and in what formats."""

    root = "discovery"

    def get(self, request: Request, format: str | None = None) -> Response:
        base = str(settings.ECOLOOP_PUBLIC_BASE_URL).rstrip("/")
        return Response(
            {
                "changeset": CHANGESET,
                "contact": _("生态环境局信访投诉受理窗口"),
                "key_service": _("无需 API 密钥；公开提交按客户端地址限流。"),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": f"{base}/open311/v2",
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            }
        )


def _service(code: str) -> dict[str, Any]:
    description, keywords = SERVICES[code]
    return {
        "service_code": code,
        "service_name": str(ComplaintCategory(code).label),
        "description": f"{description}{MEDIA_NOTE}",
        "metadata": True,
        "type": "batch",
        "keywords": str(keywords),
        "group": str(SERVICE_GROUP),
    }


def _yes_no() -> list[dict[str, str]]:
    return [{"key": "true", "name": _("是")}, {"key": "false", "name": _("否")}]


def _definition(code: str) -> dict[str, Any]:
    attributes = []
    for order, (name, datatype, text) in enumerate(ATTRIBUTES, start=1):
        attribute: dict[str, Any] = {
            "variable": True,
            "code": name,
            "datatype": datatype,
            "required": False,
            "datatype_description": _("日期，如 2026-06-01") if datatype == "datetime" else None,
            "order": order,
            "description": str(text),
        }
        if name == "jurisdiction":
            attribute["values"] = [{"key": u.code, "name": u.name} for u in bureau_choices()]
        elif datatype == "singlevaluelist":
            attribute["values"] = _yes_no()
        attributes.append(attribute)
    return {"service_code": code, "attributes": attributes}


class ServiceList(Open311View):
    root = "services"

    def get(self, request: Request, format: str | None = None) -> Response:
        return Response([_service(code) for code in ComplaintCategory.values])


class ServiceDefinition(Open311View):
    root = "service_definition"

    def get(self, request: Request, service_code: str, format: str | None = None) -> Response:
        if service_code not in ComplaintCategory.values:
            raise not_found(
                _("service_code：没有编码为 %(code)s 的服务。") % {"code": service_code}
            )
        return Response(_definition(service_code))
