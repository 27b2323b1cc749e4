#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that Documentation/netlink/specs/svr.yaml and
include/uapi/linux/svr.h describe the same family: name, version,
multicast groups, every enum, attribute set, attribute and command, with
the same values. Runs on the host (make check-spec); needs PyYAML.
Exit 0 when they agree, 1 with one line per difference otherwise."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from svrnl import HDR, Uapi  # noqa: E402

try:
    import yaml
except ImportError:
    print("check-spec: PyYAML missing (python3-yaml); skipped")
    sys.exit(4)

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "Documentation", "netlink", "specs", "svr.yaml")


def c_name(*parts):
    return "_".join(p.upper().replace("-", "_") for p in parts if p)


def main():
    spec = yaml.safe_load(open(SPEC))
    u = Uapi(HDR)
    text = open(HDR).read()
    errs = []

    def want(cond, msg):
        if not cond:
            errs.append(msg)

    want(spec["name"] == u.defines["SVR_GENL_NAME"], "family name")
    want(spec["version"] == u.defines["SVR_GENL_VERSION"], "family version")
    groups = [g["name"] for g in spec["mcast-groups"]["list"]]
    hgroups = [v for k, v in u.defines.items() if k.startswith("SVR_MCGRP_")]
    want(sorted(groups) == sorted(hgroups),
         "mcast groups: spec %s, header %s" % (groups, hgroups))

    # Enums: every entry both ways.
    henums = {m.group(1) for m in re.finditer(r"enum\s+svr_(\w+)\s*\{", text)}
    senums = set()
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            k = "SVR_" + c_name(d["name"])
            want(u.defines.get(k) == d["value"], "const %s" % k)
            continue
        name = c_name(d["name"]).lower()
        senums.add(name)
        prefix = c_name(d.get("name-prefix", "svr-" + d["name"] + "-"))
        seen = set()
        for e in d["entries"]:
            k = prefix + c_name(e["name"])
            seen.add(k)
            want(u.enums.get(k) == e["value"],
                 "enum %s entry %s: spec %s, header %s" %
                 (name, k, e["value"], u.enums.get(k)))
        body = re.search(r"enum\s+svr_%s\s*\{(.*?)\};" % name, text, re.S)
        if body:
            for k in re.findall(r"^\s*(SVR_\w+)", body.group(1), re.M):
                want(k in seen, "enum %s: %s missing in the spec" % (name, k))
    want(henums == senums, "enums: spec %s, header %s" %
         (sorted(senums), sorted(henums)))

    # Attribute sets.
    ssets = {c_name(s["name"]): s for s in spec["attribute-sets"]}
    want(set(ssets) == set(u.sets), "attribute sets: spec %s, header %s" %
         (sorted(ssets), sorted(u.sets)))
    for sname, s in ssets.items():
        hattrs = u.sets.get(sname, {})
        sattrs = {a["name"].replace("-", "_"): a for a in s["attributes"]}
        want(set(sattrs) == set(hattrs), "set %s: spec %s, header %s" %
             (sname, sorted(sattrs), sorted(hattrs)))
        for an, a in sattrs.items():
            if an not in hattrs:
                continue
            num, typ, nest, rep = hattrs[an]
            want(a["value"] == num, "SVR_A_%s_%s value" % (sname,
                                                           an.upper()))
            if typ == "nest":
                want(a["type"] == "nest" and
                     c_name(a.get("nested-attributes", "")) == nest,
                     "SVR_A_%s_%s nest" % (sname, an.upper()))
            elif typ in ("u8", "u16", "u32", "u64", "string", "flag"):
                want(a["type"] == typ, "SVR_A_%s_%s type %s, header %s" %
                     (sname, an.upper(), a["type"], typ))

    # Commands.
    sops = {o["name"].replace("-", "_"): o for o in
            spec["operations"]["list"]}
    want(set(sops) == set(u.cmds), "commands: spec %s, header %s" %
         (sorted(set(sops) ^ set(u.cmds)), ""))
    for cn, o in sops.items():
        if cn in u.cmds:
            want(o["value"] == u.cmds[cn], "SVR_CMD_%s value" % cn.upper())
        want(c_name(o.get("attribute-set", "")) in u.sets,
             "SVR_CMD_%s attribute set" % cn.upper())
        for part in ("do", "dump"):
            for d in ("request", "reply"):
                for an in (o.get(part) or {}).get(d, {}).get("attributes",
                                                              []):
                    s = u.sets.get(c_name(o["attribute-set"]), {})
                    want(an.replace("-", "_") in s, "SVR_CMD_%s %s %s: "
                         "no attribute %s" % (cn.upper(), part, d, an))
    for e in errs:
        print("check-spec: " + e)
    if not errs:
        print("check-spec: svr.yaml matches include/uapi/linux/svr.h")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
