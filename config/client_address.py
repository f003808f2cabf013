"""The client's address, the one way every limit sees it (login lock-outs, the lab's rate limit).

X-Forwarded-For is trusted only behind NUM_PROXIES proxies of our own (0 = never): each proxy appends
the address it saw, so the client is the NUM_PROXIES-th entry from the right; anything further left
was written by the client and could be forged to dodge a limit or to lock someone else out.
"""
from __future__ import annotations

from django.conf import settings


def num_proxies() -> int:
    return int(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0)


def client_address(request) -> str:
    """The address a limit should key on; works for Django and DRF requests alike."""
    meta = request.META
    remote_addr = meta.get("REMOTE_ADDR", "") or ""
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    proxies = num_proxies()
    if proxies <= 0 or not forwarded:
        return remote_addr
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote_addr
    return hops[-min(proxies, len(hops))]
