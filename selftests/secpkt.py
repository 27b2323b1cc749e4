#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""SVR security on the wire, computed independently of svr.ko (§16).

  secpkt.py verify PCAP KEYARGS [--expect-sealed]
      Every UDP/TCP packet between the waypoints must end in the HMAC
      trailer of its L4 payload (time-based: the capture time's slot or the
      one before); metadata must carry the key id in TLV 16 and, with a
      cipher, a payload section of IV + whole AES-CBC blocks that decrypts
      to TLVs filling it exactly (PKCS#7). Prints a summary and the names
      found in the decrypted metadata; exits 1 on any mismatch.
  secpkt.py send KIND[,KIND...] KEYARGS --sport N [--dport N]
      Send one forward-metadata first packet (UDP 198.18.1.2 -> 203.0.113.10
      port 53, tenant blue, service dns, router rA) from 192.0.2.1 to the
      waypoint 192.0.2.2, built and protected here, then spoiled as KIND
      says (valid, bad-hmac, unknown-key, stale-slot, truncated, hl-lies,
      pl-lies, not-blocks, bad-padding, tlv-fill, no-key-id, wrong-key).
      With a list, one packet per KIND, from ports N, N + 1, ... in turn
      (one Python start for all: it takes seconds on the debug kernel).
  secpkt.py send KIND KEYARGS --sport N --first-fragment
      The same packet, but only the first IPv4 fragment of it (MF set, 64
      bytes of UDP), sent on --dev to --dst-mac from an AF_PACKET socket
      (the sender's own defragmentation at LOCAL_OUT would keep it): a
      datagram that never completes.
  secpkt.py build KIND KEYARGS --out FILE
      Write the UDP payload of that packet to FILE (selftests/svr-storm's
      template).
  secpkt.py replay PCAP
      Send the L4 payload of the first UDP packet with metadata in PCAP
      again, from and to the same addresses and ports.

KEYARGS: --key-id N --cipher-key HEX --hmac-key HEX --hmac ALG --mode MODE

Payload encryption of a service (TLV 11): with --payload-key HEX
(--payload-key-id N), verify also opens every non-empty user payload as key
id + IV + AES-CBC (PKCS#7), counts the forward metadata that carry TLV 11,
and with --expect-text STR requires STR in some decrypted payload and in no
payload as sent. send builds the first packet with TLV 11 and its payload
sealed, spoiled as KIND says (payload-valid, payload-not-blocks,
payload-bad-padding, payload-unknown-key, payload-no-tlv11).
"""
import argparse
import hashlib
import hmac as hmaclib
import os
import socket
import struct
import sys
import time
import uuid

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

COOKIE = bytes.fromhex("4C48DBC6DDF6670C")
TLEN = {"none": 0, "sha1": 20, "sha256": 32, "sha256-128": 16}


def mac(args, data, slot):
    if args.hmac == "none":
        return b""
    alg = hashlib.sha1 if args.hmac == "sha1" else hashlib.sha256
    key = bytes.fromhex(args.hmac_key)
    if args.mode == "time-based":
        data = struct.pack(">Q", slot) + data
    return hmaclib.new(key, data, alg).digest()[:TLEN[args.hmac]]


def aes(args, enc, iv, data):
    c = Cipher(algorithms.AES(bytes.fromhex(args.cipher_key)), modes.CBC(iv))
    op = c.encryptor() if enc else c.decryptor()
    return op.update(data) + op.finalize()


def tlvs(buf):
    """Walk TLVs; None unless they fill buf exactly."""
    out, off = [], 0
    while off < len(buf):
        if len(buf) - off < 4:
            return None
        t, ln = struct.unpack_from(">HH", buf, off)
        if off + 4 + ln > len(buf):
            return None
        out.append((t, buf[off + 4:off + 4 + ln]))
        off += 4 + ln
    return out


def pcap_packets(path):
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data)[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    link = struct.unpack_from(e + "I", data, 20)[0]
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack_from(e + "IIII", data, off)
        off += 16
        frame = data[off:off + incl]
        off += incl
        ts = sec + frac / (1e9 if nano else 1e6)
        if link == 1:
            et = struct.unpack_from(">H", frame, 12)[0]
            ip = frame[14:]
        elif link == 113:  # Linux cooked
            et = struct.unpack_from(">H", frame, 14)[0]
            ip = frame[16:]
        else:
            continue
        if et == 0x0800:
            ihl = (ip[0] & 15) * 4
            proto, tot = ip[9], struct.unpack_from(">H", ip, 2)[0]
            src, dst = socket.inet_ntop(socket.AF_INET, ip[12:16]), \
                socket.inet_ntop(socket.AF_INET, ip[16:20])
            l4 = ip[ihl:tot]
        elif et == 0x86dd:
            proto, plen = ip[6], struct.unpack_from(">H", ip, 4)[0]
            src, dst = socket.inet_ntop(socket.AF_INET6, ip[8:24]), \
                socket.inet_ntop(socket.AF_INET6, ip[24:40])
            l4 = ip[40:40 + plen]
        else:
            continue
        if proto == 17:
            hl = 8
        elif proto == 6:
            hl = (l4[12] >> 4) * 4
        else:
            continue
        sp, dp = struct.unpack_from(">HH", l4)
        yield ts, proto, src, sp, dst, dp, l4[hl:]


def payload_open(args, user, bad, where):
    """The clear text of a sealed user payload, or None (reason in bad)."""
    if len(user) < 36 or (len(user) - 20) % 16:
        bad.append(f"{where}: payload of {len(user)} bytes is not key id + IV + blocks")
        return None
    kid = struct.unpack_from(">I", user)[0]
    if kid != args.payload_key_id:
        bad.append(f"{where}: payload key id {kid}, not {args.payload_key_id}")
        return None
    c = Cipher(algorithms.AES(bytes.fromhex(args.payload_key)),
               modes.CBC(user[4:20])).decryptor()
    pt = c.update(user[20:]) + c.finalize()
    pad = pt[-1]
    if not 1 <= pad <= 16 or pt[-pad:] != bytes([pad]) * pad:
        bad.append(f"{where}: payload padding is not PKCS#7")
        return None
    return pt[:-pad]


def verify(args):
    tlen = TLEN[args.hmac]
    n = ok = md = sealed = psealed = tlv11 = fwdmd = 0
    text = args.expect_text.encode() if args.expect_text else None
    text_seen = False
    bad = []
    names = set()
    for ts, proto, src, sp, dst, dp, pl in pcap_packets(args.pcap):
        n += 1
        if text and text in pl:
            bad.append(f"{src}:{sp}>{dst}:{dp}: the clear text is on the wire")
        if tlen:
            if len(pl) < tlen:
                bad.append(f"{src}:{sp}>{dst}:{dp} {len(pl)} bytes: no trailer")
                continue
            body, tag = pl[:-tlen], pl[-tlen:]
            slot = int(ts) // 2
            if not any(hmaclib.compare_digest(mac(args, body, s), tag)
                       for s in (slot, slot - 1)):
                bad.append(f"{src}:{sp}>{dst}:{dp} len {len(pl)}: trailer does not verify")
                continue
            ok += 1
        else:
            body = pl
        user = body
        if body[:8] == COOKIE and len(body) >= 12:
            vhl, plen = struct.unpack_from(">HH", body, 8)
            user = body[(vhl & 0xfff) + plen:]
        if args.payload_key and user:
            pt = payload_open(args, user, bad, f"{src}:{sp}>{dst}:{dp}")
            if pt is None:
                continue
            psealed += 1
            text_seen |= bool(text) and text in pt
        if body[:8] != COOKIE or len(body) < 12:
            continue
        vhl, plen = struct.unpack_from(">HH", body, 8)
        hl = vhl & 0xfff
        if hl + plen == 12:
            continue  # false-positive marker
        md += 1
        hdr = dict(tlvs(body[12:hl]) or [])
        peer_policy = args.hmac != "none" or args.cipher_key
        if peer_policy and (16 not in hdr or
                            struct.unpack(">I", hdr[16])[0] != args.key_id):
            bad.append(f"{src}:{sp}>{dst}:{dp}: TLV 16 is not key {args.key_id}")
            continue
        sec = body[hl:hl + plen]
        if args.cipher_key:
            if plen < 32 or plen % 16:
                bad.append(f"PL {plen} is not IV + whole blocks")
                continue
            pt = aes(args, False, sec[:16], sec[16:])
            pad = pt[-1]
            if not 1 <= pad <= 16 or pt[-pad:] != bytes([pad]) * pad:
                bad.append("bad PKCS#7 padding")
                continue
            if tlvs(sec) is not None and not args.allow_clear_walk:
                pass  # a ciphertext may walk by chance; not an error
            pt = pt[:-pad]
            sealed += 1
        else:
            pt = sec
        walked = tlvs(pt)
        if walked is None:
            bad.append("payload TLVs do not fill the section")
            continue
        for t, v in walked:
            if t in (7, 10, 14, 19):
                names.add(f"{t}={v.decode(errors='replace')}")
        types = [t for t, v in walked]
        if 2 in types or 3 in types:
            fwdmd += 1
            tlv11 += 11 in types
    print(f"packets {n} hmac-ok {ok} metadata {md} sealed {sealed} trailer {tlen}")
    print("names " + " ".join(sorted(names)))
    if args.payload_key:
        print(f"payloads sealed {psealed}, forward metadata {fwdmd} with TLV 11 {tlv11}")
        if not psealed:
            bad.append("no sealed payload")
        if tlv11 != fwdmd or not fwdmd:
            bad.append("forward metadata without TLV 11")
        if text and not text_seen:
            bad.append("the clear text is in no decrypted payload")
    for b in bad[:10]:
        print("BAD " + b)
    if bad or not n:
        return 1
    if args.expect_sealed and (not md or sealed != md):
        print("BAD metadata not sealed")
        return 1
    return 0


def tlv(t, v):
    return struct.pack(">HH", t, len(v)) + v


def build(args, kind):
    ctx = socket.inet_aton("198.18.1.2") + socket.inet_aton("203.0.113.10") + \
        struct.pack(">HHB", args.sport, 53, 17)
    key_id = 999 if kind == "unknown-key" else \
        args.wrong_key_id if kind == "wrong-key" else args.key_id
    head = b"" if kind == "no-key-id" else tlv(16, struct.pack(">I", key_id))
    body = tlv(2, ctx) + tlv(7, b"blue") + tlv(10, b"dns") + \
        tlv(6, uuid.uuid4().bytes) + tlv(14, b"rA") + tlv(19, b"wan0")
    if kind == "tlv-fill":
        body += b"\x00\x07"
    if args.payload_key and kind != "payload-no-tlv11":
        body += tlv(11, b"")
    if args.cipher_key and kind != "no-key-id":
        padn = 16 - len(body) % 16
        pad = bytes([padn]) * padn
        if kind == "bad-padding":
            pad = pad[:-1] + bytes([17])
        iv = os.urandom(16)
        sec = iv + aes(args, True, iv, body + pad)
        if kind == "not-blocks":
            sec = sec[:-8]
    else:
        sec = body
    hl, pl = 12 + len(head), len(sec)
    if kind == "hl-lies":
        hl = 4000
    if kind == "pl-lies":
        pl += 64
    md = COOKIE + struct.pack(">HH", 0x1000 | hl, pl) + head + sec
    if kind == "truncated":
        md = md[:len(md) - len(sec) // 2]
    data = md + payload_seal(args, kind, b"hostile-" + kind.encode() + b"\n")
    slot = int(time.time()) // 2
    if kind == "stale-slot":
        slot -= 3
    tag = mac(args, data, slot)
    if kind == "bad-hmac":
        tag = bytes([tag[0] ^ 1]) + tag[1:]
    return data + tag


def payload_seal(args, kind, clear):
    """The user payload as svr seals it for a service with a payload key."""
    if not args.payload_key:
        return clear
    padn = 16 - len(clear) % 16
    pad = bytes([padn]) * padn
    if kind == "payload-bad-padding":
        pad = pad[:-1] + bytes([0])
    kid = 999 if kind == "payload-unknown-key" else args.payload_key_id
    iv = os.urandom(16)
    c = Cipher(algorithms.AES(bytes.fromhex(args.payload_key)),
               modes.CBC(iv)).encryptor()
    out = struct.pack(">I", kid) + iv + c.update(clear + pad) + c.finalize()
    return out[:-5] if kind == "payload-not-blocks" else out


def send_udp(payload, src, sport, dst, dport):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, sport))
    s.sendto(payload, (dst, dport))
    s.close()


def send_first_fragment(payload, src, sport, dst, dport, dev, mac):
    """The first 8-byte-aligned 64 bytes of UDP of the datagram, MF set."""
    udp_len = 8 + len(payload)
    ph = socket.inet_aton(src) + socket.inet_aton(dst) + \
        struct.pack(">BBH", 0, 17, udp_len)
    udp = struct.pack(">HHHH", sport, dport, udp_len, 0) + payload
    s = sum(struct.unpack(">%dH" % (len(ph + udp) // 2), (ph + udp)[:len(ph + udp) & ~1]))
    if len(ph + udp) & 1:
        s += (ph + udp)[-1] << 8
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    ck = (~s & 0xffff) or 0xffff
    udp = udp[:6] + struct.pack(">H", ck) + udp[8:]
    frag = udp[:64]
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(frag), 0x5a5a,
                     0x2000, 64, 17, 0, socket.inet_aton(src),
                     socket.inet_aton(dst))
    s = sum(struct.unpack(">10H", ip))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack(">H", ~s & 0xffff) + ip[12:]
    r = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(0x0800))
    r.sendto(ip + frag, (dev, 0x0800, 0, 0, bytes.fromhex(mac.replace(":", ""))))
    r.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("arg")
    ap.add_argument("--key-id", type=int, default=1)
    ap.add_argument("--wrong-key-id", type=int, default=50)
    ap.add_argument("--cipher-key", default="")
    ap.add_argument("--hmac-key", default="")
    ap.add_argument("--hmac", default="none")
    ap.add_argument("--mode", default="regular")
    ap.add_argument("--sport", type=int, default=40001)
    ap.add_argument("--dport", type=int, default=20001)
    ap.add_argument("--expect-sealed", action="store_true")
    ap.add_argument("--allow-clear-walk", action="store_true")
    ap.add_argument("--payload-key", default="")
    ap.add_argument("--payload-key-id", type=int, default=21)
    ap.add_argument("--expect-text", default="")
    ap.add_argument("--first-fragment", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--dev", default="wan")
    ap.add_argument("--dst-mac", default="")
    args = ap.parse_args()
    if args.cmd == "verify":
        args.pcap = args.arg
        return verify(args)
    if args.cmd == "build":
        with open(args.out, "wb") as f:
            f.write(build(args, args.arg))
        return 0
    if args.cmd == "send":
        for i, kind in enumerate(args.arg.split(",")):
            one = argparse.Namespace(**vars(args))
            one.sport = args.sport + i
            if args.first_fragment:
                send_first_fragment(build(one, kind), "192.0.2.1", one.sport,
                                    "192.0.2.2", args.dport, args.dev,
                                    args.dst_mac)
            else:
                send_udp(build(one, kind), "192.0.2.1", one.sport,
                         "192.0.2.2", args.dport)
        return 0
    if args.cmd == "replay":
        for ts, proto, src, sp, dst, dp, pl in pcap_packets(args.arg):
            if proto == 17 and pl[:8] == COOKIE:
                send_udp(pl, src, sp, dst, dp)
                print(f"replayed {src}:{sp} -> {dst}:{dp}, {len(pl)} bytes, "
                      f"{time.time() - ts:.1f}s later")
                return 0
        print("no UDP packet with metadata")
        return 1
    ap.error("unknown command")


if __name__ == "__main__":
    sys.exit(main())
