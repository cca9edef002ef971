"""Who is asking: the one client address that every limit of the site keys on.

Behind the proxies documented in docs/operator.md, REMOTE_ADDR is the proxy's own address, so
every reader would share one counter. The operator says how many proxies of theirs stand in
front of the app (TRUSTED_PROXY_COUNT) or which header their proxy sets to the client's address
(TRUSTED_CLIENT_IP_HEADER); anything else a client writes in X-Forwarded-For is ignored."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str:
    """The address in canonical form, or "" when the value is not one."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:5120
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    """The client's address as the operator's proxies saw it.

    With TRUSTED_CLIENT_IP_HEADER the proxy's header is taken as it is (the proxy overwrites
    whatever the client sent). With TRUSTED_PROXY_COUNT = N, the N-th address from the right of
    X-Forwarded-For: each trusted proxy appended the address it was reached from, so everything
    left of that was written by the client and proves nothing. With neither, REMOTE_ADDR."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
    header = getattr(settings, "TRUSTED_CLIENT_IP_HEADER", "")
    if header:
        return _address(request.headers.get(header, "")) or remote
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        hops = [hop for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return _address(hops[-count]) or remote
    return remote
