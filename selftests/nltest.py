#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Kernel-side tests of svr's netlink family, without svrctl.

    nltest.py CASE      run one case in the current netns (exit 0 = pass)
    nltest.py --list    list the cases

Each case starts from an empty configuration (it flushes what it finds).
"""
import errno
import sys

from svrnl import Svr, SvrError, uapi

E = errno
# What the policy itself refuses: EINVAL, or ERANGE for values and lengths.
POL = (errno.EINVAL, errno.ERANGE)


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def eq(actual, expected, what):
    if actual != expected:
        raise Fail("%s: expected %r, got %r" % (what, expected, actual))


def expect_err(nl, cmd, attrs, err, msg=None, miss=None):
    """@cmd must fail with @err (and the extack text @msg)."""
    errs = err if isinstance(err, tuple) else (err,)
    try:
        nl.do(cmd, attrs)
    except SvrError as e:
        if e.errno not in errs or (msg is not None and e.msg != msg):
            raise Fail("%s %r: expected %s %r, got %s" %
                       (cmd, attrs, errs, msg, e.text()))
        if miss is not None and e.miss_type != miss:
            raise Fail("%s: missing type %r, expected %r" %
                       (cmd, e.miss_type, miss))
        return e
    raise Fail("%s %r: expected %s, succeeded" % (cmd, attrs, errs))


def flush(nl):
    for r in nl.dump("route_get"):
        nl.do("route_del", {k: v for k, v in r.items()
                            if not k.startswith("_") and k != "cost"})
    for obj, key in (("service", "name"), ("iface", "name"),
                     ("peer", "name"), ("tenant", "name"),
                     ("security", "name")):
        for o in nl.dump(obj + "_get"):
            nl.do(obj + "_del", {key: o[key], "force": True}
                  if obj in ("tenant", "peer", "security") else
                  {key: o[key]})


def p4(addr, plen, **kw):
    d = {"addr4": addr, "plen": plen}
    d.update(kw)
    return d


def p6(addr, plen, **kw):
    d = {"addr6": addr, "plen": plen}
    d.update(kw)
    return d


KEY16 = "hex:" + "11" * 16
KEY32 = "hex:" + "22" * 32
HKEY = "hex:" + "33" * 32

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def family(nl):
    eq(nl.version, 1, "family version")
    check("config" in nl.groups and "sessions" in nl.groups, "mcast groups")
    info = nl.get("info_get", {})
    eq(info["genl_version"], 1, "info genl version")
    # Strict validation: an attribute the command does not take.
    expect_err(nl, "tenant_get", {99: b"x"}, E.EINVAL)
    expect_err(nl, "info_get", {1: b"x\0"}, E.EINVAL)
    # Commands that are notifications only are refused.
    try:
        nl.request(uapi().cmds["tenant_add_ntf"], {})
        raise Fail("notification id accepted as a request")
    except SvrError as e:
        check(e.errno in (E.EOPNOTSUPP, E.EINVAL), "ntf id: " + e.text())


@case
def router(nl):
    nl.do("router_set", {"session_limit": 0, "timeout_tcp_est": 0,
                         "timeout_tcp_close": 0, "timeout_udp": 0,
                         "timeout_icmp": 0, "wayport_lo": 0,
                         "wayport_hi": 0, "icmp_rate": 0})
    r = nl.get("router_get", {})
    eq((r["session_limit"], r["timeout_tcp_est"], r["timeout_tcp_close"],
        r["timeout_udp"], r["timeout_icmp"], r["wayport_lo"],
        r["wayport_hi"], r["icmp_rate"]),
       (262144, 1900, 10, 180, 10, 16384, 65534, 100), "router defaults")
    check(r["name"], "router name defaults to the host name")
    nl.do("router_set", {"name": "rA", "session_limit": 200000,
                         "timeout_udp": 30})
    r = nl.get("router_get", {})
    eq((r["name"], r["session_limit"], r["timeout_udp"]),
       ("rA", 200000, 30), "router after set")
    expect_err(nl, "router_set", {"name": "r A"}, E.EINVAL,
               "invalid router name")
    expect_err(nl, "router_set", {"name": ""}, E.EINVAL,
               "invalid router name")
    expect_err(nl, "router_set", {"name": "x" * 64}, POL)
    expect_err(nl, "router_set", {"wayport_lo": 40000, "wayport_hi": 30000},
               E.EINVAL, "wayport range is reversed")
    eq(nl.get("router_get", {})["name"], "rA", "failed set changed nothing")
    nl.do("router_set", {"timeout_udp": 0, "session_limit": 0})
    eq(nl.get("router_get", {})["direct_xmit"], 0, "direct-xmit off by default")
    nl.do("router_set", {"direct_xmit": 1})
    eq(nl.get("router_get", {})["direct_xmit"], 1, "direct-xmit on")
    expect_err(nl, "router_set", {"direct_xmit": 2}, POL)
    nl.do("router_set", {"timeout_udp": 0})
    eq(nl.get("router_get", {})["direct_xmit"], 1, "a set without it keeps it")
    nl.do("router_set", {"direct_xmit": 0})
    eq(nl.get("router_get", {})["direct_xmit"], 0, "direct-xmit off")
    b = nl.get("router_get", {})["session_buckets"]
    check(b == 0 or b & (b - 1) == 0, "session-buckets %d: 0 or a power of 2" % b)
    expect_err(nl, "router_set", {"session_buckets": 8}, E.EINVAL,
               "session-buckets is read-only (module parameter hashsize)")
    eq(nl.get("router_get", {})["session_buckets"], b, "session-buckets kept")


@case
def tenant(nl):
    flush(nl)
    nl.do("tenant_new", {"name": "blue",
                         "prefix": [p4("198.18.1.0", 24),
                                    p6("2001:db8:1::", 48, dev="lo")]})
    t = nl.get("tenant_get", {"name": "blue"})
    eq(t["prefix"], [p4("198.18.1.0", 24), p6("2001:db8:1::", 48, dev="lo")],
       "tenant prefixes")
    expect_err(nl, "tenant_new", {"name": "blue"}, E.EEXIST, "tenant exists")
    expect_err(nl, "tenant_new", {"name": "bl ue"}, E.EINVAL,
               "invalid tenant name")
    expect_err(nl, "tenant_new", {"name": "bl/ue"}, E.EINVAL,
               "invalid tenant name")
    expect_err(nl, "tenant_new", {"name": ""}, E.EINVAL,
               "invalid tenant name")
    expect_err(nl, "tenant_new", {"name": "a" * 64}, POL)
    nl.do("tenant_new", {"name": "a" * 63})
    expect_err(nl, "tenant_new", {"name": "global"}, E.EINVAL,
               "tenant name global is reserved")
    expect_err(nl, "tenant_new", {}, E.EINVAL, "missing tenant name",
               miss=1)
    expect_err(nl, "tenant_get", {"name": "nope"}, E.ENOENT,
               "unknown tenant")
    # Prefix validation.
    for bad, msg in (
            (p4("198.18.1.1", 24), "prefix address has host bits set"),
            (p4("198.18.0.0", 33), "prefix length exceeds 32 for ipv4"),
            ({"plen": 8}, "missing prefix address"),
            ({"addr4": "10.0.0.0"}, "missing prefix length"),
            ({"addr4": "10.0.0.0", "addr6": "::", "plen": 8},
             "prefix has both an ipv4 and an ipv6 address"),
            (p4("10.0.0.0", 8, dev="bad/dev"), "invalid device name"),
            ({"addr4": b"\x0a\0\0", "plen": 8}, None),
            ({"addr6": "::", "plen": 129}, None)):
        expect_err(nl, "tenant_set", {"name": "blue", "prefix": [bad]},
                   POL, msg)
    expect_err(nl, "tenant_set", {"name": "blue",
                                  "prefix": [p4("198.18.1.0", 24)]},
               E.EEXIST, "prefix exists")
    expect_err(nl, "tenant_new", {"name": "red",
                                  "prefix": [p4("10.0.0.0", 8),
                                             p4("10.0.0.0", 8)]},
               E.EEXIST, "duplicate prefix")
    check(not any(t["name"] == "red" for t in nl.dump("tenant_get")),
          "failed new left a tenant")
    # Parts: add, del, and a request applied as a whole.
    nl.do("tenant_set", {"name": "blue", "prefix": [p4("198.18.2.0", 24)]})
    expect_err(nl, "tenant_set", {"name": "blue", "op": 1,
                                  "prefix": [p4("198.18.2.0", 24),
                                             p4("198.18.9.0", 24)]},
               E.ENOENT, "no such prefix")
    eq(len(nl.get("tenant_get", {"name": "blue"})["prefix"]), 3,
       "failed del removed nothing")
    nl.do("tenant_set", {"name": "blue", "op": 1,
                         "prefix": [p4("198.18.2.0", 24)]})
    eq(len(nl.get("tenant_get", {"name": "blue"})["prefix"]), 2,
       "prefix deleted")
    expect_err(nl, "tenant_set", {"name": "blue", "op": 2,
                                  "prefix": [p4("198.18.1.0", 24)]},
               E.EOPNOTSUPP, "op set does not apply to prefixes")
    expect_err(nl, "tenant_new", {"name": "x", "op": 1}, E.EINVAL,
               "op other than add only applies to set")
    expect_err(nl, "tenant_set", {"name": "blue", "op": 3}, POL)
    # Per-object limit.
    many = [p4("10.%d.%d.0" % (i // 256, i % 256), 24) for i in range(129)]
    expect_err(nl, "tenant_new", {"name": "big", "prefix": many}, E.ENOSPC,
               "too many prefixes")
    nl.do("tenant_new", {"name": "big", "prefix": many[:128]})
    names = sorted(t["name"] for t in nl.dump("tenant_get"))
    eq(names, sorted(["blue", "a" * 63, "big"]), "tenant dump")
    nl.do("tenant_del", {"name": "big"})
    expect_err(nl, "tenant_del", {"name": "big"}, E.ENOENT, "unknown tenant")


@case
def security(nl):
    flush(nl)
    nl.do("security_new", {"name": "sp1", "cipher": 2, "hmac": 3,
                           "hmac_mode": 1,
                           "key": [{"id": 7, "cipher_key": KEY32,
                                    "hmac_key": HKEY}]})
    s = nl.get("security_get", {"name": "sp1"})
    eq((s["cipher"], s["hmac"], s["hmac_mode"]), (2, 3, 1), "policy")
    k = s["key"][0]
    eq(k["id"], 7, "key id")
    check("cipher_key" not in k and "hmac_key" not in k,
          "GET shows key bytes")
    check(k["fingerprint"].startswith("hex:") and len(k["fingerprint"]) == 20,
          "fingerprint")
    # Defaults: aes-cbc-128, sha256, time-based.
    nl.do("security_new", {"name": "sp2", "key": [
        {"id": 8, "cipher_key": KEY16, "hmac_key": HKEY}]})
    s2 = nl.get("security_get", {"name": "sp2"})
    eq((s2["cipher"], s2["hmac"], s2["hmac_mode"]), (1, 2, 1), "defaults")
    check(s2["key"][0]["fingerprint"] != k["fingerprint"],
          "fingerprints differ")
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 7, "cipher_key": KEY32, "hmac_key": HKEY}]},
        E.EEXIST, "key id exists")
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 8, "cipher_key": KEY32, "hmac_key": HKEY}]},
        E.EEXIST, "key id exists")
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 9, "cipher_key": KEY32, "hmac_key": HKEY},
        {"id": 9, "cipher_key": KEY32, "hmac_key": HKEY}]},
        E.EEXIST, "duplicate key id")
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 9, "cipher_key": KEY16, "hmac_key": HKEY}]},
        E.EINVAL, "cipher key length does not match the cipher")
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 9, "cipher_key": "hex:" + "11" * 33, "hmac_key": HKEY}]},
        POL)
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 9, "cipher_key": KEY32, "hmac_key": "hex:" + "33" * 31}]},
        POL)
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 9, "hmac_key": HKEY}]}, E.EINVAL, "missing cipher key")
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 9, "cipher_key": KEY32}]}, E.EINVAL, "missing hmac key")
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"cipher_key": KEY32, "hmac_key": HKEY}]}, E.EINVAL,
        "missing key id")
    expect_err(nl, "security_set", {"name": "sp1", "key": [
        {"id": 0, "cipher_key": KEY32, "hmac_key": HKEY}]}, POL)
    expect_err(nl, "security_set", {"name": "sp1", "cipher": 1}, E.EINVAL,
               "existing keys do not match the cipher or hmac")
    expect_err(nl, "security_set", {"name": "sp1", "cipher": 3}, POL)
    expect_err(nl, "security_new", {"name": "sp3", "cipher": 0, "key": [
        {"id": 10, "cipher_key": KEY16, "hmac_key": HKEY}]}, E.EINVAL,
        "cipher key given but the cipher is none")
    expect_err(nl, "security_new", {"name": "sp3", "hmac": 0, "key": [
        {"id": 10, "cipher_key": KEY16, "hmac_key": HKEY}]}, E.EINVAL,
        "hmac key given but the hmac is none")
    expect_err(nl, "security_new", {"name": "sp1"}, E.EEXIST,
               "security policy exists")
    nl.do("security_new", {"name": "none", "cipher": 0, "hmac": 0,
                           "key": [{"id": 11}]})
    # Key add and del; changing the cipher once the keys fit.
    nl.do("security_set", {"name": "sp1", "key": [
        {"id": 9, "cipher_key": KEY32, "hmac_key": HKEY}]})
    nl.do("security_set", {"name": "sp1", "op": 1, "key": [{"id": 7}]})
    expect_err(nl, "security_set", {"name": "sp1", "op": 1,
                                    "key": [{"id": 7}]},
               E.ENOENT, "no such key")
    eq([x["id"] for x in nl.get("security_get", {"name": "sp1"})["key"]],
       [9], "keys after add and del")
    nl.do("security_set", {"name": "sp1", "op": 1, "key": [{"id": 9}]})
    nl.do("security_set", {"name": "sp1", "cipher": 1, "hmac": 1,
                           "key": [{"id": 7, "cipher_key": KEY16,
                                    "hmac_key": HKEY}]})
    # Key bytes only in CONFIG_SAVE (this caller has CAP_NET_ADMIN).
    saved = [m for m in nl.dump("config_save")
             if m["_cmd"] == "security_get" and m["name"] == "sp1"]
    eq(saved[0]["key"][0]["cipher_key"], KEY16, "saved cipher key")
    eq(saved[0]["key"][0]["hmac_key"], HKEY, "saved hmac key")


@case
def service(nl):
    flush(nl)
    nl.do("tenant_new", {"name": "blue"})
    nl.do("tenant_new", {"name": "red"})
    nl.do("security_new", {"name": "sp2", "key": [
        {"id": 1, "cipher_key": KEY16, "hmac_key": HKEY}]})
    web = {"name": "web", "prefix": [p4("198.18.2.0", 24),
                                     p6("2001:db8:2::", 64)],
           "transport": [{"proto": 6, "port_lo": 80},
                         {"proto": 6, "port_lo": 443},
                         {"proto": 17, "port_lo": 1000, "port_hi": 2000}],
           "access": [{"tenant": "blue"}, {"tenant": "red", "action": 1},
                      {"tenant": "global"}],
           "security": "sp2", "timeout": 300}
    nl.do("service_new", web)
    s = nl.get("service_get", {"name": "web"})
    eq(s["prefix"], web["prefix"], "service prefixes")
    eq(s["transport"], [{"proto": 6, "port_lo": 80, "port_hi": 80},
                        {"proto": 6, "port_lo": 443, "port_hi": 443},
                        {"proto": 17, "port_lo": 1000, "port_hi": 2000}],
       "transports")
    eq(s["access"], [{"tenant": "blue", "action": 0},
                     {"tenant": "red", "action": 1},
                     {"tenant": "global", "action": 0}], "access")
    eq((s["security"], s["timeout"]), ("sp2", 300), "options")
    expect_err(nl, "service_new", web, E.EEXIST, "service exists")
    base = {"name": "x", "prefix": [p4("10.0.0.0", 8)]}
    for extra, err, msg in (
            ({"access": [{"tenant": "green"}]}, E.ENOENT, "unknown tenant"),
            ({"access": [{"action": 1}]}, E.EINVAL, "missing access tenant"),
            ({"access": [{"tenant": "blue"}, {"tenant": "blue", "action": 1}]},
             E.EEXIST, "duplicate access entry"),
            ({"security": "nope"}, E.ENOENT, "unknown security policy"),
            ({"transport": [{"proto": 47}]}, E.EINVAL,
             "transport protocol must be tcp, udp, icmp or any"),
            ({"transport": [{"proto": 1, "port_lo": 5}]}, E.EINVAL,
             "transport ports need tcp or udp"),
            ({"transport": [{"proto": 6, "port_lo": 9, "port_hi": 5}]},
             E.EINVAL, "port range is reversed"),
            ({"transport": [{"proto": 6, "port_hi": 5}]}, E.EINVAL,
             "missing transport first port"),
            ({"transport": [{"port_lo": 5}]}, E.EINVAL,
             "missing transport protocol"),
            ({"transport": [{"proto": 6, "port_lo": 0}]}, POL, None),
            ({"transport": [{"proto": 6}, {"proto": 6}]}, E.EEXIST,
             "duplicate transport"),
            ({"prefix": [p4("10.0.0.0", 8, dev="lo")]}, E.EINVAL,
             "prefix device only applies to tenant prefixes"),
            ({"access": [{"tenant": "blue", "action": 2}]}, POL, None)):
        a = dict(base)
        a.update(extra)
        expect_err(nl, "service_new", a, err, msg)
    expect_err(nl, "service_new", {"name": "bad name"}, E.EINVAL,
               "invalid service name")
    eq([x["name"] for x in nl.dump("service_get")], ["web"],
       "failed news left nothing")
    # Parts: access add/del, transport del, option changes.
    nl.do("tenant_new", {"name": "green"})
    nl.do("service_set", {"name": "web", "access": [{"tenant": "green"}],
                          "timeout": 0, "security": ""})
    expect_err(nl, "service_set", {"name": "web",
                                   "access": [{"tenant": "green"}]},
               E.EEXIST, "access entry for this tenant exists")
    nl.do("service_set", {"name": "web", "op": 1,
                          "access": [{"tenant": "red"}],
                          "transport": [{"proto": 6, "port_lo": 443}]})
    expect_err(nl, "service_set", {"name": "web", "op": 1,
                                   "access": [{"tenant": "red"}]},
               E.ENOENT, "no such access entry")
    expect_err(nl, "service_set", {"name": "web", "op": 1,
                                   "transport": [{"proto": 6,
                                                  "port_lo": 443}]},
               E.ENOENT, "no such transport")
    s = nl.get("service_get", {"name": "web"})
    eq([a["tenant"] for a in s["access"]], ["blue", "global", "green"],
       "access after set")
    eq(len(s["transport"]), 2, "transports after del")
    check("security" not in s and s["timeout"] == 0, "options cleared")
    expect_err(nl, "service_get", {"name": "nope"}, E.ENOENT,
               "unknown service")
    nl.do("service_del", {"name": "web"})
    eq(nl.dump("service_get"), [], "service deleted")


# A path's configuration, without the counters PEER_GET adds.
PATH_CFG = ("local4", "local6", "remote4", "remote6", "cost", "name",
            "port_lo", "port_hi", "admin")
PATH_COUNTERS = ("sessions", "tx_packets", "tx_bytes", "rx_packets",
                 "rx_bytes", "md_sent", "md_rcvd", "bfd_state", "bfd_diag",
                 "bfd_tx", "bfd_rx", "bfd_downs")


def path_cfg(p):
    return {k: v for k, v in p.items() if k in PATH_CFG}


@case
def peer_route(nl):
    flush(nl)
    nl.do("security_new", {"name": "sp1", "key": [
        {"id": 1, "cipher_key": KEY16, "hmac_key": HKEY}]})
    path = {"local4": "192.0.2.1", "remote4": "192.0.2.2", "cost": 10,
            "name": "wan0"}
    nl.do("peer_new", {"name": "rB", "security": "sp1", "path": [path]})
    p = nl.get("peer_get", {"name": "rB"})
    eq(p["security"], "sp1", "peer security")
    eq([path_cfg(x) for x in p["path"]],
       [{"local4": "192.0.2.1", "remote4": "192.0.2.2",
         "cost": 10, "name": "wan0", "admin": 0}], "paths")
    eq({k: p["path"][0].get(k) for k in PATH_COUNTERS},
       {k: 0 for k in PATH_COUNTERS}, "a new path's counters")
    # Counters are output only, and CONFIG_SAVE leaves them out.
    for k in PATH_COUNTERS:
        expect_err(nl, "peer_set", {"name": "rB", "op": 2, "path": [
            {"local4": "192.0.2.1", "remote4": "192.0.2.2", k: 1}]}, POL)
    check(all(k not in x for m in nl.dump("config_save")
              for x in m.get("path", []) for k in PATH_COUNTERS),
          "counters in CONFIG_SAVE")
    expect_err(nl, "peer_new", {"name": "rB"}, E.EEXIST, "peer exists")
    for bad, err, msg in (
            ({"local4": "192.0.2.1"}, E.EINVAL,
             "path needs one remote address"),
            ({"remote4": "192.0.2.1"}, E.EINVAL,
             "path needs one local address"),
            ({"local4": "192.0.2.1", "remote6": "2001:db8::2"}, E.EINVAL,
             "path addresses of different families"),
            ({"local4": "192.0.2.1", "remote4": "192.0.2.2"}, E.EEXIST,
             "path exists"),
            ({"local4": "192.0.2.1", "remote4": "192.0.2.3",
              "port_lo": 2000}, E.EINVAL, "path port range needs both ends"),
            ({"local4": "192.0.2.1", "remote4": "192.0.2.3",
              "port_lo": 2000, "port_hi": 1000}, E.EINVAL,
             "port range is reversed"),
            ({"local4": "192.0.2.1", "remote4": "192.0.2.3",
              "name": "a b"}, E.EINVAL, "invalid path name"),
            ({"local4": "192.0.2.1", "remote4": "192.0.2.3",
              "admin": 2}, POL, None),
            ({"local4": "192.0.2.1", "remote4": "192.0.2.3",
              "bfd_interval": 9}, E.EINVAL,
             "BFD interval is 0 (off) or 10-60000 ms"),
            ({"local4": "192.0.2.1", "remote4": "192.0.2.3",
              "bfd_interval": 60001}, E.EINVAL,
             "BFD interval is 0 (off) or 10-60000 ms"),
            ({"local4": "192.0.2.1", "remote4": "192.0.2.3",
              "bfd_multiplier": 256}, POL, None)):
        expect_err(nl, "peer_set", {"name": "rB", "path": [bad]}, err, msg)
    nl.do("peer_set", {"name": "rB", "path": [
        {"local6": "2001:db8::1", "remote6": "2001:db8::2",
         "port_lo": 20000, "port_hi": 30000}]})
    nl.do("peer_set", {"name": "rB", "op": 2, "path": [
        {"local4": "192.0.2.1", "remote4": "192.0.2.2", "admin": 1}]})
    expect_err(nl, "peer_set", {"name": "rB", "op": 2, "path": [
        {"local4": "192.0.2.9", "remote4": "192.0.2.2"}]}, E.ENOENT,
        "no such path")
    p = nl.get("peer_get", {"name": "rB"})
    eq(path_cfg(p["path"][0]), {"local4": "192.0.2.1", "remote4": "192.0.2.2",
                                "cost": 10, "name": "wan0", "admin": 1},
       "path after set (other options kept)")
    eq(p["path"][1]["port_lo"], 20000, "v6 path ports")
    eq((p["path"][0]["bfd_interval"], p["path"][0]["bfd_multiplier"]),
       (0, 0), "BFD off by default")
    nl.do("peer_set", {"name": "rB", "op": 2, "path": [
        {"local4": "192.0.2.1", "remote4": "192.0.2.2", "bfd_interval": 300,
         "bfd_multiplier": 4}]})
    p = nl.get("peer_get", {"name": "rB"})
    eq((p["path"][0]["bfd_interval"], p["path"][0]["bfd_multiplier"],
        p["path"][0]["admin"]), (300, 4, 1), "path BFD options")
    # Routes.
    nl.do("service_new", {"name": "web", "prefix": [p4("198.18.2.0", 24)]})
    nl.do("route_new", {"service": "web", "type": 0, "peer": "rB",
                        "cost": 10})
    nl.do("route_new", {"service": "web", "type": 1,
                        "gateway4": "198.51.100.1", "dev": "lo", "cost": 20})
    nl.do("route_new", {"service": "web", "type": 2, "cost": 30})
    nl.do("route_new", {"service": "web", "type": 3, "cost": 5})
    for bad, err, msg in (
            ({"service": "web", "type": 0, "peer": "rB"}, E.EEXIST,
             "route exists"),
            ({"service": "nope", "type": 2}, E.ENOENT, "unknown service"),
            ({"service": "web", "type": 0, "peer": "rC"}, E.ENOENT,
             "unknown peer"),
            ({"service": "web", "type": 0}, E.EINVAL, "missing route peer"),
            ({"service": "web", "type": 1}, E.EINVAL,
             "missing route gateway"),
            ({"service": "web", "type": 2, "dev": "lo"}, E.EINVAL,
             "route gateway and device only apply to gateway routes"),
            ({"service": "web", "type": 2, "peer": "rB"}, E.EINVAL,
             "route peer only applies to peer routes"),
            ({"service": "web", "type": 4}, POL, None),
            ({"service": "web"}, E.EINVAL, "missing route type")):
        expect_err(nl, "route_new", bad, err, msg)
    routes = nl.dump("route_get", {"service": "web"})
    eq([r["type"] for r in routes], [0, 1, 2, 3], "route dump")
    eq(routes[1]["gateway4"], "198.51.100.1", "gateway")
    try:
        nl.dump("route_get", {"service": "nope"})
        raise Fail("route dump of an unknown service succeeded")
    except SvrError as e:
        eq((e.errno, e.msg), (E.ENOENT, "unknown service"), "route dump")
    # Referential integrity.
    e = expect_err(nl, "peer_del", {"name": "rB"}, E.EBUSY,
                   "peer in use by a route of service web")
    e = expect_err(nl, "security_del", {"name": "sp1"}, E.EBUSY,
                   "security policy in use by peer rB")
    nl.do("route_del", {"service": "web", "type": 2})
    expect_err(nl, "route_del", {"service": "web", "type": 2}, E.ENOENT,
               "no such route")
    nl.do("peer_del", {"name": "rB", "force": True})
    eq([r["type"] for r in nl.dump("route_get")], [1, 3],
       "forced peer del removed its routes")
    nl.do("security_del", {"name": "sp1"})


@case
def iface(nl):
    flush(nl)
    nl.do("tenant_new", {"name": "blue"})
    nl.do("iface_new", {"name": "lo", "tenant": "blue", "snat": 1})
    i = nl.get("iface_get", {"name": "lo"})
    eq((i["tenant"], i["snat"]), ("blue", 1), "iface options")
    check(i["ifindex"] > 0, "iface bound")
    expect_err(nl, "iface_new", {"name": "lo"}, E.EEXIST, "interface exists")
    expect_err(nl, "iface_new", {"name": "nosuchdev0"}, E.ENODEV,
               "no such device")
    expect_err(nl, "iface_new", {"name": "a/b"}, E.EINVAL,
               "invalid device name")
    expect_err(nl, "iface_new", {"name": "x" * 16}, POL)
    expect_err(nl, "iface_set", {"name": "lo", "tenant": "red"}, E.ENOENT,
               "unknown tenant")
    expect_err(nl, "iface_set", {"name": "lo", "snat": 2}, POL)
    expect_err(nl, "iface_del", {"name": "eth9"}, E.ENOENT,
               "no such interface")
    e = expect_err(nl, "tenant_del", {"name": "blue"}, E.EBUSY,
                   "tenant in use by interface lo")
    nl.do("service_new", {"name": "web", "access": [{"tenant": "blue"}]})
    nl.do("iface_set", {"name": "lo", "tenant": "", "snat": 0})
    i = nl.get("iface_get", {"name": "lo"})
    check("tenant" not in i and i["snat"] == 0, "iface options cleared")
    expect_err(nl, "tenant_del", {"name": "blue"}, E.EBUSY,
               "tenant in use by service web")
    nl.do("iface_set", {"name": "lo", "tenant": "blue"})
    nl.do("tenant_del", {"name": "blue", "force": True})
    check("tenant" not in nl.get("iface_get", {"name": "lo"}),
          "forced del cleared the interface tenant")
    eq(nl.get("service_get", {"name": "web"}).get("access"), None,
       "forced del removed the access entry")
    nl.do("iface_del", {"name": "lo"})
    eq(nl.dump("iface_get"), [], "iface deleted")


@case
def notify(nl):
    flush(nl)
    mon = Svr()
    mon.join("config")
    nl.do("tenant_new", {"name": "blue"})
    nl.do("tenant_set", {"name": "blue", "prefix": [p4("10.0.0.0", 8)]})
    nl.do("tenant_del", {"name": "blue"})
    got = [(n["_cmd"], n.get("name")) for n in mon.notifications(0.5)]
    eq(got, [("tenant_add_ntf", "blue"), ("tenant_change_ntf", "blue"),
             ("tenant_del_ntf", "blue")], "notifications")
    r = nl.do("tenant_new", {"name": "green"}, echo=True)
    eq([(x["_cmd"], x["name"]) for x in r], [("tenant_add_ntf", "green")],
       "NLM_F_ECHO")
    nl.do("router_set", {"timeout_icmp": 11})
    got = [n["_cmd"] for n in mon.notifications(0.5)]
    eq(got, ["tenant_add_ntf", "router_change_ntf"], "more notifications")
    nl.do("router_set", {"timeout_icmp": 0})


@case
def dump_resume(nl):
    flush(nl)
    n = 400
    for i in range(n):
        nl.do("service_new", {
            "name": "svc-%04d" % i,
            "prefix": [p4("10.%d.%d.0" % (i // 256, i % 256), 24)] +
                      [p6("2001:db8:%x:%x::" % (i, j), 64) for j in range(8)],
            "transport": [{"proto": 6, "port_lo": 1 + i}],
            "access": [{"tenant": "global"}]})
    for i in range(3):
        names = [s["name"] for s in nl.dump("service_get")]
        eq(names, ["svc-%04d" % i for i in range(n)],
           "dump across messages, in creation order")
    saved = nl.dump("config_save")
    eq([m["_cmd"] for m in saved].count("service_get"), n, "save")
    eq(saved[0]["_cmd"], "router_get", "save starts with the router")
    for i in range(0, n, 2):
        nl.do("service_del", {"name": "svc-%04d" % i})
    eq(len(nl.dump("service_get")), n // 2, "after deletes")
    flush(nl)


@case
def save_order(nl):
    flush(nl)
    nl.do("security_new", {"name": "sp", "key": [
        {"id": 3, "cipher_key": KEY16, "hmac_key": HKEY}]})
    nl.do("tenant_new", {"name": "t"})
    nl.do("peer_new", {"name": "p", "security": "sp"})
    nl.do("iface_new", {"name": "lo", "tenant": "t"})
    nl.do("service_new", {"name": "s", "access": [{"tenant": "t"}]})
    nl.do("route_new", {"service": "s", "type": 0, "peer": "p"})
    order = [m["_cmd"] for m in nl.dump("config_save")]
    eq(order, ["router_get", "tenant_get", "security_get", "iface_get",
               "peer_get", "service_get", "route_get"], "save order")
    flush(nl)


@case
def unpriv_setup(nl):
    """Run as root before unpriv_check (run as nobody)."""
    flush(nl)
    nl.do("security_new", {"name": "sp", "key": [
        {"id": 5, "cipher_key": KEY16, "hmac_key": HKEY}]})
    nl.do("tenant_new", {"name": "blue"})
    nl.do("service_new", {"name": "s", "access": [{"tenant": "blue"}]})


@case
def unpriv_check(nl):
    """Reads work without privileges and never show key bytes; every
    change is refused with EPERM."""
    for m in nl.dump("security_get") + nl.dump("config_save"):
        for k in m.get("key", []):
            check("cipher_key" not in k and "hmac_key" not in k,
                  "key bytes shown to an unprivileged caller")
            check("fingerprint" in k, "no fingerprint")
    eq(nl.get("tenant_get", {"name": "blue"})["name"], "blue", "get")
    nl.get("router_get", {})
    nl.dump("route_get")
    nl.dump("session_get")
    for cmd, attrs in (("tenant_new", {"name": "red"}),
                       ("tenant_set", {"name": "blue"}),
                       ("tenant_del", {"name": "blue"}),
                       ("router_set", {"name": "x"}),
                       ("security_new", {"name": "x"}),
                       ("security_set", {"name": "sp"}),
                       ("security_del", {"name": "sp"}),
                       ("service_new", {"name": "x"}),
                       ("service_set", {"name": "s"}),
                       ("service_del", {"name": "s"}),
                       ("peer_new", {"name": "p"}),
                       ("peer_set", {"name": "p"}),
                       ("peer_del", {"name": "p"}),
                       ("iface_new", {"name": "lo"}),
                       ("iface_set", {"name": "lo"}),
                       ("iface_del", {"name": "lo"}),
                       ("route_new", {"service": "s", "type": 2}),
                       ("route_del", {"service": "s", "type": 2}),
                       ("session_del", {"uuid": b"\0" * 16}),
                       ("session_flush", {})):
        expect_err(nl, cmd, attrs, E.EPERM)


@case
def device_events(nl):
    """A managed device goes away, comes back, is renamed."""
    import subprocess

    def ip(*args):
        subprocess.run(("ip",) + args, check=True)

    def ifindex(name):
        return nl.get("iface_get", {"name": name})["ifindex"]

    flush(nl)
    ip("link", "add", "dum0", "type", "dummy")
    nl.do("iface_new", {"name": "dum0"})
    check(ifindex("dum0") > 0, "bound")
    mon = Svr()
    mon.join("config")
    ip("link", "del", "dum0")
    eq(ifindex("dum0"), 0, "unbound when the device goes away")
    ip("link", "add", "dum0", "type", "dummy")
    check(ifindex("dum0") > 0, "bound again")
    ip("link", "set", "dum0", "name", "dum1")
    eq(ifindex("dum0"), 0, "unbound after a rename")
    nl.do("iface_new", {"name": "dum1"})
    ip("link", "set", "dum1", "name", "dum0")
    check(ifindex("dum0") > 0 and ifindex("dum1") == 0, "follows names")
    got = [n["_cmd"] for n in mon.notifications(0.5)]
    check(got.count("iface_change_ntf") >= 4, "change notifications: %s"
          % got)
    ip("link", "del", "dum0")
    flush(nl)


def main(argv):
    if not argv or argv[0] == "--list":
        print("\n".join(CASES))
        return 0
    nl = Svr()
    try:
        CASES[argv[0]](nl)
    except (Fail, SvrError) as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
