#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Netlink fuzz of the svr family: random and mutated messages against
every command (and some that do not exist), with well-formed requests in
between so that handlers run against a changing configuration.

    nlfuzz.py [N [SEED [ro]]]   (default 10000 messages; ro: the caller
                                may not change anything, skip that check)

Exits 0 when every message got an answer and the family still works.
"""
import random
import socket
import struct
import sys

from svrnl import (NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP, NLM_F_ECHO, Svr,
                   SvrError, nla, uapi)

NAMES = ["a", "b", "blue", "red", "x.a", "eng.blue", "global", "sp", "sp2",
         "rB", "web", "lo", "dum0", "", "a" * 63, "a" * 64, "bad name",
         "\xff\xfe"]
ADDRS = [b"\x0a\0\0\0", b"\xc0\xa8\x01\0", b"\xc6\x12\x01\x00",
         b"\x20\x01\x0d\xb8" + b"\0" * 12, b"\0" * 16]


def rand_value(rnd, typ, nest, depth):
    if typ == "nest" and depth < 3:
        return gen_attrs(rnd, nest, depth + 1)
    r = rnd.random()
    if typ == "string":
        s = rnd.choice(NAMES).encode("utf-8", "replace")
        return s + (b"\0" if r < 0.9 else b"")
    if typ == "u8":
        return struct.pack("B", rnd.choice([0, 1, 2, 3, 6, 17, 32, 64, 128,
                                            129, 255]))
    if typ == "u16":
        return struct.pack("H", rnd.choice([0, 1, 80, 443, 1000, 65535,
                                            rnd.randrange(65536)]))
    if typ == "u32":
        return struct.pack("I", rnd.choice([0, 1, 5, 7, 300, 2 ** 31,
                                            2 ** 32 - 1]))
    if typ == "u64":
        return struct.pack("Q", rnd.randrange(2 ** 64))
    if typ == "flag":
        return b"" if r < 0.9 else b"\x01"
    if typ in ("bin4", "bin16") and r < 0.7:
        return rnd.choice([a for a in ADDRS if len(a) == int(typ[3:])])
    n = rnd.choice([0, 1, 3, 4, 8, 15, 16, 17, 31, 32, 33, 64])
    return bytes(rnd.randrange(256) for _ in range(n))


def gen_attrs(rnd, setname, depth=0):
    attrs = uapi().sets.get(setname, {})
    out = b""
    keys = list(attrs)
    for _ in range(rnd.randrange(0, 8)):
        if rnd.random() < 0.05 or not keys:
            out += nla(rnd.randrange(0, 40), bytes(rnd.randrange(256) for _ in
                                                   range(rnd.randrange(9))))
            continue
        num, typ, nest, _ = attrs[rnd.choice(keys)]
        flag = NLA_F_NESTED if typ == "nest" and rnd.random() < 0.9 else 0
        out += nla(num | flag, rand_value(rnd, typ, nest, depth))
    return out


def mutate(rnd, data):
    b = bytearray(data)
    for _ in range(rnd.randrange(1, 6)):
        if not b:
            break
        op = rnd.randrange(4)
        i = rnd.randrange(len(b))
        if op == 0:
            b[i] ^= 1 << rnd.randrange(8)
        elif op == 1:
            b[i] = rnd.choice([0, 0xff, 0x80, 4, 8])
        elif op == 2:
            del b[i:i + rnd.randrange(1, 5)]
        else:
            b[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(4)))
    return bytes(b)


def populate(nl):
    reqs = [
        ("tenant_new", {"name": "blue", "prefix": [
            {"addr4": "198.18.1.0", "plen": 24}]}),
        ("tenant_new", {"name": "eng.blue"}),
        ("security_new", {"name": "sp", "key": [
            {"id": 7, "cipher_key": "hex:" + "11" * 16,
             "hmac_key": "hex:" + "22" * 32}]}),
        ("peer_new", {"name": "rB", "security": "sp", "path": [
            {"local4": "192.0.2.1", "remote4": "192.0.2.2"}]}),
        ("service_new", {"name": "web", "prefix": [
            {"addr4": "10.0.0.0", "plen": 8}],
            "transport": [{"proto": 6, "port_lo": 80}],
            "access": [{"tenant": "blue"}, {"tenant": "global"}]}),
        ("route_new", {"service": "web", "type": 0, "peer": "rB"}),
        ("iface_new", {"name": "lo", "tenant": "blue"}),
    ]
    for cmd, attrs in reqs:
        try:
            nl.do(cmd, attrs)
        except SvrError:
            pass


def main(argv):
    n = int(argv[0]) if argv else 10000
    seed = int(argv[1]) if len(argv) > 1 else 1
    readonly = len(argv) > 2 and argv[2] == "ro"
    rnd = random.Random(seed)
    u = uapi()
    nl = Svr()
    nl.sk.settimeout(10)
    populate(nl)
    cmds = sorted(u.cmds.values())
    reqs = [v for k, v in u.cmds.items() if not k.endswith("_ntf")]
    errors = {}
    for i in range(n):
        if rnd.random() < 0.85:
            cmd = rnd.choice(reqs)
        else:
            cmd = rnd.choice(cmds + [0, max(cmds) + 1, 255])
        name = u.cmd_name(cmd)
        payload = gen_attrs(rnd, u.cmd_set(name) if name in u.cmds else
                            "TENANT")
        r = rnd.random()
        if r < 0.3:
            payload = mutate(rnd, payload)
        elif r < 0.35:
            payload = bytes(rnd.randrange(256) for _ in
                            range(rnd.randrange(64)))
        if name.endswith(("_get", "_save")) and rnd.random() < 0.5:
            flags = NLM_F_DUMP
        else:
            flags = rnd.choice([NLM_F_ACK, NLM_F_ACK, NLM_F_ACK | NLM_F_ECHO,
                                NLM_F_DUMP])
        try:
            nl.talk(nl.family, cmd, payload, flags,
                    version=rnd.choice([1, 1, 0, 2]))
            errors[0] = errors.get(0, 0) + 1
        except SvrError as e:
            errors[e.errno] = errors.get(e.errno, 0) + 1
        except socket.timeout:
            print("no answer to message %d (cmd %d)" % (i, cmd))
            return 1
        if i % 500 == 0:
            populate(nl)
    print("%d messages: %s" % (n, ", ".join(
        "%s=%d" % (k, v) for k, v in sorted(errors.items()))))
    if readonly:
        nl.dump("tenant_get")
        return 0
    nl.do("tenant_new", {"name": "after-fuzz"})
    names = [t["name"] for t in nl.dump("tenant_get")]
    if "after-fuzz" not in names:
        print("family broken after fuzz")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
