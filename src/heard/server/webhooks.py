"""Outbound webhooks, made safe to send: each delivery signed with the team's secret, and only
to public addresses.

Signature: ``Heard-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`` with the
same ``Heard-Timestamp`` (Unix seconds) header; docs/webhooks.md shows how a receiver checks it.

Targets: a team admin chooses the URL, so without a check the worker could be pointed at the
machine's own services, the private network or a cloud metadata address (SSRF). A URL is
refused when any address its host resolves to is not public. The check runs when the URL is
set and again on every connection the worker opens (``GuardedTransport``), which connects to
the very address it checked, so a DNS answer that changes in between (rebinding) gains nothing.
Hosts named in ``HEARD_WEBHOOK_ALLOW_HOSTS`` skip the check (tests, internal receivers).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

from heard.errors import MalformedInput

SIGNATURE_VERSION = "v1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Heard-Signature`` value of a body sent at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def signed_headers(secret: str, body: bytes, *, at: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if at is None else at)
    return {"Heard-Timestamp": str(timestamp), "Heard-Signature": signature(secret, timestamp, body)}


def verify(secret: str, body: bytes, timestamp: str, sent: str, *, tolerance: float = 300) -> bool:
    """What a receiver does (docs/webhooks.md): the signature matches and the time is recent."""
    try:
        at = int(timestamp)
    except ValueError:
        return False
    if abs(time.time() - at) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, at, body), sent)


class UnsafeTarget(MalformedInput):
    """A webhook URL that points at an address heard will not send to."""


def _refusal(address: str) -> str | None:
    """Why an address is not a public one, or None when it is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind, hit in (("loopback", ip.is_loopback), ("link-local (metadata)", ip.is_link_local),
                      ("private", ip.is_private), ("unspecified", ip.is_unspecified),
                      ("multicast", ip.is_multicast), ("reserved", ip.is_reserved)):  # fmt: skip
        if hit:
            return kind
    return None if ip.is_global else "not public"


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise UnsafeTarget(f"the webhook host {host!r} does not resolve; check the URL") from e
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_addresses(host: str, port: int, allow_hosts: Iterable[str]) -> list[str]:
    """The addresses of ``host`` when every one is public (or the host is allowed by name)."""
    host = host.lower().strip("[]")
    addresses = _resolve(host, port)
    if host in allow_hosts:
        return addresses
    for address in addresses:
        if kind := _refusal(address):
            raise UnsafeTarget(
                f"the webhook host {host!r} resolves to a {kind} address ({address}); heard only "
                "delivers to public addresses (an operator can allow a host with HEARD_WEBHOOK_ALLOW_HOSTS)"
            )
    return addresses


def check_webhook_url(url: str, allow_hosts: Iterable[str]) -> str:
    """The URL when heard may deliver to it; else ``UnsafeTarget`` saying what to change."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget("webhook_url must start with https:// (or http://)")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise UnsafeTarget("webhook_url has a port that is not a number from 1 to 65535") from None
    if not host:
        raise UnsafeTarget("webhook_url has no host; write it like https://hooks.example.com/heard")
    if parts.username or parts.password:
        raise UnsafeTarget("webhook_url must not carry a user name or password; use the signature instead")
    checked_addresses(host, port or (443 if parts.scheme == "https" else 80), frozenset(allow_hosts))
    return url


class _GuardedBackend(httpcore.SyncBackend):
    """Opens each connection to an address it has just checked (the TLS name stays the host's)."""

    def __init__(self, allow_hosts: frozenset[str]) -> None:
        self.allow_hosts = allow_hosts

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # noqa: ANN001
        last: Exception | None = None
        for address in checked_addresses(host, port, self.allow_hosts):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as e:
                last = e
        raise last or httpcore.ConnectError(f"no address of {host} answered")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the address check on every connection; no proxies."""

    def __init__(self, allow_hosts: Iterable[str]) -> None:
        super().__init__(trust_env=False)
        # httpx has no public hook for the network backend; the pool is rebuilt with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(frozenset(allow_hosts)),
        )
