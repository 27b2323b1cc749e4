#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A small generic netlink client for svr's selftests (no svrctl, no
third-party modules).

Commands, attributes and their types come from include/uapi/linux/svr.h:
its enums give the numbers, the comment after each attribute its type
("u8", "u16", "u32", "u64", "string", "flag", "binary[...]",
"nest: SVR_A_X_*"), so the header stays the only place where anything is
numbered.

Library:
    nl = Svr()
    nl.do("tenant_new", {"name": "blue",
                         "prefix": [{"addr4": "198.18.1.0", "plen": 24}]})
    nl.dump("tenant_get")           -> [ {attrs}, ... ]
    nl.do(...) raises SvrError(errno, msg, ...) on an error reply.

CLI (prints JSON, one object a line; errors as "error: ENAME: text" on
stderr with exit status 1):
    svrnl.py [--dump] [--echo] COMMAND [JSON-ATTRS]
    svrnl.py --expect ENAME[:text] COMMAND [JSON-ATTRS]
    svrnl.py --monitor SECONDS      print notifications of group "config"
"""
import errno
import json
import os
import re
import socket
import struct
import sys

HDR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "include", "uapi", "linux", "svr.h")

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 1
NLM_F_MULTI = 2
NLM_F_ACK = 4
NLM_F_ECHO = 8
NLM_F_DUMP_INTR = 16
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_VERSION = 3
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3fff


class SvrError(Exception):
    def __init__(self, err, msg=None, offs=None, miss_type=None,
                 miss_nest=None):
        self.errno = err
        self.msg = msg
        self.offs = offs
        self.miss_type = miss_type
        self.miss_nest = miss_nest
        super().__init__(self.text())

    def name(self):
        return errno.errorcode.get(self.errno, str(self.errno))

    def text(self):
        s = self.name()
        if self.msg:
            s += ": " + self.msg
        if self.miss_type is not None:
            s += " (missing attribute %d)" % self.miss_type
        return s


# ---- the header ----------------------------------------------------------

class Uapi:
    """Numbers and attribute types parsed from include/uapi/linux/svr.h."""

    def __init__(self, path=HDR):
        text = open(path).read()
        self.defines = {}
        for m in re.finditer(r'#define\s+(SVR_\w+)\s+("[^"]*"|\d+)', text):
            v = m.group(2)
            self.defines[m.group(1)] = v.strip('"') if v[0] == '"' else int(v)
        self.enums = {}         # name -> value, every enum
        self.sets = {}          # "TENANT" -> {attr: (value, type, nestset)}
        self.cmds = {}          # "tenant_new" -> value
        body_re = re.compile(r'enum(?:\s+(\w+))?\s*\{(.*?)\};', re.S)
        for m in body_re.finditer(text):
            self._parse_enum(m.group(2))

    def _parse_enum(self, body):
        # Join continuation comments onto the attribute line.
        lines = body.split("\n")
        val = -1
        pending = ""
        for line in lines:
            c = re.match(r'\s*/\*\s*(.*?)\s*\*/\s*$', line)
            if c:       # a comment line documents the entry below it
                pending = c.group(1)
                continue
            m = re.match(r'\s*(\w+)\s*(?:=\s*([^,/]+?))?\s*,\s*(?:/\*\s*(.*))?$',
                         line)
            if not m:
                continue
            name, expr, comment = m.group(1), m.group(2), m.group(3) or pending
            pending = ""
            if expr is not None:
                expr = expr.strip()
                if re.fullmatch(r'\d+', expr):
                    val = int(expr)
                elif expr.startswith("("):
                    inner = re.match(r'\((\w+)\s*-\s*1\)', expr).group(1)
                    val = self.enums[inner] - 1
                else:
                    val = self.enums[expr]
            else:
                val += 1
            self.enums[name] = val
            am = re.match(r'SVR_A_([A-Z]+)_(\w+)$', name)
            if am and not name.startswith("__") and \
                    not am.group(2) == "MAX":
                typ, nest = self._type(comment)
                self.sets.setdefault(am.group(1), {})[am.group(2).lower()] = \
                    (val, typ, nest, "repeated" in comment)
            cm = re.match(r'SVR_CMD_(\w+)$', name)
            if cm and cm.group(1) != "MAX":
                self.cmds[cm.group(1).lower()] = val

    @staticmethod
    def _type(comment):
        c = comment.strip()
        m = re.match(r'nest: SVR_A_([A-Z]+)_', c)
        if m:
            return "nest", m.group(1)
        for t in ("u8", "u16", "u32", "u64", "string", "flag"):
            if c.startswith(t):
                return t, None
        m = re.match(r'binary\[(\d+)\]', c)
        if m:
            return "bin%s" % m.group(1), None
        return "binary", None

    def cmd_set(self, cmd):
        """The attribute set of a command name such as "tenant_new"."""
        obj = cmd.split("_")[0].upper()
        if obj in ("INFO", "STATS", "CONFIG"):
            return "INFO"
        return obj

    def cmd_name(self, value):
        for k, v in self.cmds.items():
            if v == value:
                return k
        return str(value)


UAPI = None


def uapi():
    global UAPI
    if UAPI is None:
        UAPI = Uapi()
    return UAPI


# ---- attributes ----------------------------------------------------------

def nla(atype, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, atype) + payload + b"\0" * ((4 - n % 4) % 4)


def encode(setname, attrs):
    """Encode a dict (value lists repeat the attribute) of set @setname."""
    u = uapi()
    out = b""
    for key, value in attrs.items():
        if isinstance(key, int):        # raw: (type, bytes)
            out += nla(key, value)
            continue
        num, typ, nest, _ = u.sets[setname][key]
        values = value if isinstance(value, list) else [value]
        for v in values:
            out += nla(num | (NLA_F_NESTED if typ == "nest" else 0),
                       encode_value(typ, nest, v))
    return out


def encode_value(typ, nest, v):
    if isinstance(v, (bytes, bytearray)):
        return bytes(v)
    if typ == "nest":
        return encode(nest, v)
    if typ == "u8":
        return struct.pack("B", v)
    if typ == "u16":
        return struct.pack("H", v)
    if typ == "u32":
        return struct.pack("I", v)
    if typ == "u64":
        return struct.pack("Q", v)
    if typ == "string":
        return v.encode() + b"\0"
    if typ == "flag":
        return b""
    if typ.startswith("bin") and isinstance(v, str):
        if v.startswith("hex:"):
            return bytes.fromhex(v[4:])
        fam = socket.AF_INET6 if ":" in v else socket.AF_INET
        return socket.inet_pton(fam, v)
    raise ValueError("cannot encode %r as %s" % (v, typ))


def parse_attrs(data):
    out = []
    off = 0
    while off + 4 <= len(data):
        n, t = struct.unpack_from("HH", data, off)
        if n < 4 or off + n > len(data):
            break
        out.append((t & NLA_TYPE_MASK, data[off + 4:off + n]))
        off += (n + 3) & ~3
    return out


def decode(setname, data):
    u = uapi()
    byval = {v[0]: (k, v) for k, v in u.sets.get(setname, {}).items()}
    out = {}
    for t, payload in parse_attrs(data):
        if t not in byval:
            out.setdefault("attr%d" % t, payload.hex())
            continue
        key, (num, typ, nest, rep) = byval[t]
        v = decode_value(typ, nest, payload)
        if rep:
            out.setdefault(key, []).append(v)
        else:
            out[key] = v
    return out


def decode_value(typ, nest, p):
    if typ == "nest":
        return decode(nest, p)
    if typ == "u8":
        return p[0]
    if typ == "u16":
        return struct.unpack("H", p[:2])[0]
    if typ == "u32":
        return struct.unpack("I", p[:4])[0]
    if typ == "u64":
        return struct.unpack("Q", p[:8])[0]
    if typ == "string":
        return p.split(b"\0")[0].decode(errors="replace")
    if typ == "flag":
        return True
    if typ in ("bin4", "bin16"):
        fam = socket.AF_INET if typ == "bin4" else socket.AF_INET6
        return socket.inet_ntop(fam, p)
    return "hex:" + p.hex()


# ---- the socket ----------------------------------------------------------

class Svr:
    def __init__(self, family="svr"):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sk.bind((0, 0))
        self.portid = self.sk.getsockname()[0]
        self.seq = 1
        self.family, self.version, self.groups = self._resolve(family)

    def close(self):
        self.sk.close()

    def _resolve(self, name):
        msgs = self.talk(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                         nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"),
                         version=1)
        fid = ver = None
        groups = {}
        for _, _, payload in msgs:
            for t, p in parse_attrs(payload):
                if t == CTRL_ATTR_FAMILY_ID:
                    fid = struct.unpack("H", p[:2])[0]
                elif t == CTRL_ATTR_VERSION:
                    ver = struct.unpack("I", p[:4])[0]
                elif t == CTRL_ATTR_MCAST_GROUPS:
                    for _, g in parse_attrs(p):
                        ga = dict(parse_attrs(g))
                        groups[ga[CTRL_ATTR_MCAST_GRP_NAME].split(b"\0")[0]
                               .decode()] = struct.unpack(
                                   "I", ga[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        return fid, ver, groups

    def send_raw(self, ftype, cmd, payload, flags, version=1):
        seq = self.seq
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + payload
        msg = struct.pack("IHHII", 16 + len(body), ftype,
                          flags | NLM_F_REQUEST, seq, 0) + body
        self.sk.send(msg)
        return seq

    def recv_until(self, seq, dump):
        """[(cmd, nlflags, attr bytes)] up to the ACK/DONE, or SvrError."""
        out = []
        while True:
            data = self.sk.recv(1 << 17)
            off = 0
            while off + 16 <= len(data):
                n, t, fl, s, _ = struct.unpack_from("IHHII", data, off)
                if n < 16:
                    raise SvrError(errno.EPROTO, "bad netlink length")
                body = data[off + 16:off + n]
                off += (n + 3) & ~3
                if s != seq:
                    continue
                if t == NLMSG_ERROR:
                    err = -struct.unpack_from("i", body)[0]
                    if err == 0:
                        return out
                    raise self._error(err, fl, body)
                if t == NLMSG_DONE:
                    if len(body) >= 4:
                        err = -struct.unpack_from("i", body)[0]
                        if err:
                            raise self._error(err, fl, body, done=True)
                    return out
                out.append((body[0], fl, body[4:]))
                if not dump and not (fl & NLM_F_MULTI):
                    pass

    @staticmethod
    def _error(err, fl, body, done=False):
        msg = offs = mt = mn = None
        if fl & NLM_F_ACK_TLVS:
            if done:
                tlvs = body[4:]
            elif fl & 0x100:            # NLM_F_CAPPED: header only
                tlvs = body[20:]
            else:                       # the whole request is echoed
                olen = struct.unpack_from("I", body, 4)[0]
                tlvs = body[4 + ((olen + 3) & ~3):]
            for t, p in parse_attrs(tlvs):
                if t == NLMSGERR_ATTR_MSG:
                    msg = p.split(b"\0")[0].decode()
                elif t == NLMSGERR_ATTR_OFFS:
                    offs = struct.unpack("I", p[:4])[0]
                elif t == NLMSGERR_ATTR_MISS_TYPE:
                    mt = struct.unpack("I", p[:4])[0]
                elif t == NLMSGERR_ATTR_MISS_NEST:
                    mn = struct.unpack("I", p[:4])[0]
        return SvrError(err, msg, offs, mt, mn)

    def talk(self, ftype, cmd, payload, flags=NLM_F_ACK, version=1):
        seq = self.send_raw(ftype, cmd, payload, flags, version)
        return self.recv_until(seq, flags & NLM_F_DUMP)

    def request(self, cmd, attrs=None, flags=NLM_F_ACK, raw=None):
        u = uapi()
        num = u.cmds[cmd] if isinstance(cmd, str) else cmd
        payload = raw if raw is not None else \
            encode(u.cmd_set(u.cmd_name(num)), attrs or {})
        msgs = self.talk(self.family, num, payload, flags)
        out = []
        for c, fl, p in msgs:
            name = u.cmd_name(c)
            d = decode(u.cmd_set(name), p)
            d["_cmd"] = name
            if fl & NLM_F_DUMP_INTR:
                d["_intr"] = True
            out.append(d)
        return out

    def do(self, cmd, attrs=None, echo=False):
        return self.request(cmd, attrs,
                            NLM_F_ACK | (NLM_F_ECHO if echo else 0))

    def dump(self, cmd, attrs=None):
        return self.request(cmd, attrs, NLM_F_DUMP)

    def get(self, cmd, attrs):
        r = self.do(cmd, attrs)
        return r[0] if r else None

    def join(self, group="config"):
        self.sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                           self.groups[group])

    def notifications(self, timeout):
        """Notifications received within @timeout seconds."""
        u = uapi()
        self.sk.settimeout(timeout)
        out = []
        try:
            while True:
                data = self.sk.recv(1 << 17)
                for t, p in parse_attrs_msgs(data):
                    if t != self.family:
                        continue
                    name = u.cmd_name(p[0])
                    d = decode(u.cmd_set(name), p[4:])
                    d["_cmd"] = name
                    out.append(d)
        except socket.timeout:
            pass
        self.sk.settimeout(None)
        return out


def parse_attrs_msgs(data):
    off = 0
    while off + 16 <= len(data):
        n, t, _, _, _ = struct.unpack_from("IHHII", data, off)
        if n < 16:
            break
        yield t, data[off + 16:off + n]
        off += (n + 3) & ~3


# ---- CLI -----------------------------------------------------------------

def main(argv):
    dump = echo = False
    expect = None
    monitor = None
    args = list(argv)
    while args and args[0].startswith("--"):
        a = args.pop(0)
        if a == "--dump":
            dump = True
        elif a == "--echo":
            echo = True
        elif a == "--expect":
            expect = args.pop(0)
        elif a == "--monitor":
            monitor = float(args.pop(0))
        else:
            print("unknown option " + a, file=sys.stderr)
            return 2
    try:
        nl = Svr()
    except (SvrError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    if monitor is not None:
        nl.join("config")
        for d in nl.notifications(monitor):
            print(json.dumps(d, sort_keys=True))
        return 0
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = args.pop(0)
    attrs = json.loads(args.pop(0)) if args else {}
    try:
        if dump:
            res = nl.dump(cmd, attrs)
        else:
            res = nl.do(cmd, attrs, echo)
    except SvrError as e:
        if expect:
            want = expect.split(":", 1)
            if e.name() != want[0] or (len(want) > 1 and e.msg != want[1]):
                print("expected %s, got %s" % (expect, e.text()),
                      file=sys.stderr)
                return 1
            print("ok: %s" % e.text())
            return 0
        print("error: %s" % e.text(), file=sys.stderr)
        return 1
    if expect:
        print("expected %s, got success" % expect, file=sys.stderr)
        return 1
    for d in res:
        print(json.dumps(d, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
