#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Render `make bench` results (JSON lines from bench/bench.sh) as Markdown
tables and a PNG plot.

  bench/report.py --md FILE --png FILE RESULTS.jsonl

With --md naming an existing file that holds the markers
<!-- bench:begin --> and <!-- bench:end --> (--marker changes the name), only the text between them is
replaced (Documentation/benchmarks.md keeps its prose); otherwise the file
is written with the generated text alone. The host facts (qemu version,
host CPU) are read here, on the host; the guest's came in the results.
"""
import argparse
import json
import platform
import re
import statistics
import subprocess
import sys

MODES = ["plain", "nat", "wg", "ipsec", "svr-base", "svr", "svr-direct", "svr-hmac", "svr-enc"]
# Modes measured for sessions only (memory, lookup scaling).
SESSION_MODES = ["nat", "svr-local", "svr"]
LABEL = {
    "plain": "plain forwarding",
    "nat": "conntrack + masquerade",
    "wg": "WireGuard",
    "ipsec": "IPsec ESP (AES-GCM)",
    "svr-base": "svr, HMAC off, base build (SVR_BENCH_BASE_KO)",
    "svr": "svr, HMAC off",
    "svr-direct": "svr, HMAC off, direct-xmit",
    "svr-hmac": "svr, HMAC sha256-128",
    "svr-enc": "svr, payload encryption",
    "svr-local": "svr, local next hop (rA only)",
}


def load(path):
    meta, vals, errors, skips = {}, {}, [], {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            if "meta" in r:
                meta = r["meta"]
            elif "error" in r:
                errors.append(r)
            elif "skip" in r:
                skips[r["mode"]] = r["skip"]
            elif r.get("value") is not None:
                vals.setdefault((r["mode"], r["metric"]), []).append(r["value"])
    return meta, vals, errors, skips


def host_facts():
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                info.setdefault(k.strip(), v.strip())
    except OSError:
        pass
    cpu = (f"{info.get('model name', 'unknown')} (family {info.get('cpu family', '?')}, "
           f"model {info.get('model', '?')}"
           f"{', a virtual machine' if 'hypervisor' in info.get('flags', '').split() else ''})")
    try:
        qemu = subprocess.run(["qemu-system-x86_64", "--version"],
                              capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        qemu = "unknown"
    import os
    try:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = None
    return {"host_cpu": cpu, "host_cpus": os.cpu_count(), "qemu": qemu,
            "host_kernel": platform.release(), "load": load}


class Figures:
    def __init__(self, vals):
        self.vals = vals

    def all(self, mode, metric):
        return self.vals.get((mode, metric), [])

    def med(self, mode, metric):
        v = self.all(mode, metric)
        return statistics.median(v) if v else None

    def ratio(self, mode, metric, base="plain"):
        a, b = self.med(mode, metric), self.med(base, metric)
        if a is None or not b:
            return None
        return a / b

    def spread(self, mode, metric):
        v = self.all(mode, metric)
        if len(v) < 2:
            return ""
        m = statistics.median(v)
        return f" ±{100 * (max(v) - min(v)) / 2 / m:.0f}%" if m else ""


def kmem(F, m):
    """Slab plus vmalloc bytes per session: what the sessions cost."""
    s, v = F.med(m, "slab_per_session"), F.med(m, "vmalloc_per_session")
    if s is None:
        return None
    return s + max(v or 0, 0)


def fmt(v, kind):
    if v is None:
        return "–"
    if kind == "bps":
        return f"{v / 1e6:.0f} Mbit/s"
    if kind == "rate":
        return f"{v:,.0f}"
    if kind == "ratio":
        return f"{v:.2f}"
    if kind == "ratio4":
        return f"{v:.4f}"
    if kind == "bytes":
        return f"{v:.0f}"
    return str(v)


def render(meta, vals, errors, skips, host):
    F = Figures(vals)
    modes = [m for m in MODES if any(k[0] == m for k in vals) or m in skips]
    out = []
    w = out.append
    w(f"Run: {meta.get('date', '?')}, svr {meta.get('svr', '?')}, "
      f"{'QUICK smoke run (tiny sizes, one repetition: not figures)' if meta.get('quick') else str(meta.get('reps', '?')) + ' repetitions, modes alternated, medians'}.")
    w("")
    w(f"- guest: Linux {meta.get('kernel', '?')}, {meta.get('vcpus', '?')} vCPUs "
      f"(`-cpu max`: \"{meta.get('guest_cpu', '?')}\"), {meta.get('mem_mb', '?')} MB, no slub_debug"
      + (f"; crypto drivers chosen: {meta['crypto']}" if meta.get('crypto') else ""))
    w(f"- emulator: {host['qemu']}, TCG (no KVM), multi-threaded")
    w(f"- host: {host['host_cpu']}, {host['host_cpus']} CPUs shared with other jobs, Linux {host['host_kernel']}"
      f"{'; load average ' + host['load'] + ' (1, 5, 15 min) when this report was rendered (make bench: right after the run)' if host.get('load') else ''}")
    w("")
    plain_frame = F.med("plain", "wan_frame")

    w("### Ratios to plain forwarding (medians)")
    w("")
    w("| mode | TCP 1 stream | TCP 4 streams | UDP 60-byte pkt/s | sessions/s | wire bytes, mix | bytes added per packet |")
    w("|---|---|---|---|---|---|---|")
    for m in modes:
        if m in skips:
            w(f"| {LABEL[m]} | {skips[m]} | | | | | |")
            continue
        add = F.med(m, "wan_frame")
        add = None if add is None or plain_frame is None else add - plain_frame
        cells = [fmt(F.ratio(m, k), "ratio") for k in ("tcp1", "tcp4", "udp_pps", "setup_rate", "mix_ratio")]
        w(f"| {LABEL[m]} | " + " | ".join(cells) + f" | {fmt(add, 'bytes')} |")
    w("")

    w("### Absolute figures (median, ± half the spread of the repetitions)")
    w("")
    w("| mode | TCP 1 stream | TCP 4 streams | UDP pkt/s received (sent) | sessions/s | wan bytes / app bytes, mix | wan frame for a 60-byte packet |")
    w("|---|---|---|---|---|---|---|")
    for m in modes:
        if m in skips:
            continue
        w(f"| {LABEL[m]} | {fmt(F.med(m, 'tcp1'), 'bps')}{F.spread(m, 'tcp1')} "
          f"| {fmt(F.med(m, 'tcp4'), 'bps')}{F.spread(m, 'tcp4')} "
          f"| {fmt(F.med(m, 'udp_pps'), 'rate')}{F.spread(m, 'udp_pps')} ({fmt(F.med(m, 'udp_sent_pps'), 'rate')}) "
          f"| {fmt(F.med(m, 'setup_rate'), 'rate')}{F.spread(m, 'setup_rate')} "
          f"| {fmt(F.med(m, 'mix_ratio'), 'ratio4')} "
          f"| {fmt(F.med(m, 'wan_frame'), 'bytes')} |")
    w("")

    smodes = [m for m in SESSION_MODES if F.med(m, "sessions_large") is not None]
    if smodes:
        w("### Sessions: memory and lookup scaling")
        w("")
        w("| mode | sessions (both routers) | slab bytes / session | slab + vmalloc (hash table) | used memory bytes / session | session object | TCP 1 stream, small table | large table | ratio |")
        w("|---|---|---|---|---|---|---|---|---|")
        for m in smodes:
            small, large = F.med(m, "tcp1_small_table"), F.med(m, "tcp1_large_table")
            obj = F.med(m, "session_objsize")
            w(f"| {LABEL[m]} | {fmt(F.med(m, 'sessions_small'), 'rate')} → {fmt(F.med(m, 'sessions_large'), 'rate')} "
              f"| {fmt(F.med(m, 'slab_per_session'), 'bytes')} | {fmt(kmem(F, m), 'bytes')} "
              f"| {fmt(F.med(m, 'mem_per_session'), 'bytes')} "
              f"| {fmt(obj, 'bytes') if obj else '–'} "
              f"| {fmt(small, 'bps')}{F.spread(m, 'tcp1_small_table')} | {fmt(large, 'bps')}{F.spread(m, 'tcp1_large_table')} "
              f"| {fmt(large / small if small and large else None, 'ratio')} |")
        w("")

    w("### svr against the targets of issue 9")
    w("")
    w("| target | figure | met |")
    w("|---|---|---|")

    def target(what, value, ok):
        w(f"| {what} | {value} | {'–' if ok is None else ('yes' if ok else '**no**')} |")

    for m, how in (("svr", ""), ("svr-direct", " (direct-xmit)")):
        for k, name in (("tcp1", "TCP 1 stream"), ("tcp4", "TCP 4 streams"), ("udp_pps", "UDP pkt/s")):
            r = F.ratio(m, k)
            if r is None and m != "svr":
                continue
            target(f"HMAC off{how}: {name} ≥ 0.90 of plain", fmt(r, "ratio"), None if r is None else r >= 0.90)
    for k, name in (("tcp1", "TCP 1 stream"), ("tcp4", "TCP 4 streams")):
        s, wg, ip = F.med("svr-hmac", k), F.med("wg", k), F.med("ipsec", k)
        ok = None if None in (s, wg, ip) else s > wg and s > ip
        target(f"HMAC sha256-128: {name} above WireGuard's and IPsec's",
               f"{fmt(s, 'bps')} vs {fmt(wg, 'bps')}, {fmt(ip, 'bps')}", ok)
    for m, how in (("svr", ""), ("svr-direct", " (direct-xmit)")):
        s, n = F.med(m, "setup_rate"), F.med("nat", "setup_rate")
        if s is None and m != "svr":
            continue
        target(f"session setup rate{how} ≥ conntrack + masquerade", f"{fmt(s, 'rate')} vs {fmt(n, 'rate')}/s",
               None if None in (s, n) else s >= n)
    for m, want in (("svr", 0), ("svr-hmac", 16)):
        a = F.med(m, "wan_frame")
        add = None if a is None or plain_frame is None else a - plain_frame
        target(f"{LABEL[m]}: bytes added per fast-lane packet = {want}", fmt(add, "bytes"),
               None if add is None else round(add) == want)
    for m in ("svr", "svr-hmac"):
        s, wg, ip = F.med(m, "mix_ratio"), F.med("wg", "mix_ratio"), F.med("ipsec", "mix_ratio")
        target(f"{LABEL[m]}: wire bytes for the mix below WireGuard's and IPsec's",
               f"{fmt(s, 'ratio4')} vs {fmt(wg, 'ratio4')}, {fmt(ip, 'ratio4')}",
               None if None in (s, wg, ip) else s < wg and s < ip)
    for m in ("svr-local", "svr"):
        s = kmem(F, m)
        if s is None and m != "svr":
            continue
        target(f"{LABEL[m]}: ≤ 320 bytes of kernel memory per session (slab + vmalloc)", fmt(s, "bytes"),
               None if s is None else s <= 320)
    small, large = F.med("svr", "tcp1_small_table"), F.med("svr", "tcp1_large_table")
    r = large / small if small and large else None
    target("TCP with 100,000 sessions ≥ 0.95 of that with 1,000", fmt(r, "ratio"), None if r is None else r >= 0.95)
    w("")
    if errors:
        w("Errors during the run:")
        w("")
        for e in errors:
            w(f"- {e['mode']}: {e['error']}")
        w("")
    return "\n".join(out), F, modes, skips


def plot(F, modes, skips, png, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [("tcp1", "TCP 1 stream"), ("tcp4", "TCP 4 streams"),
               ("udp_pps", "UDP 60-byte pkt/s"), ("setup_rate", "sessions/s")]
    modes = [m for m in modes if m not in skips]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(13, 4.8),
                                  gridspec_kw={"width_ratios": [3, 1.2]})
    width = 0.8 / len(metrics)
    base = {k: F.med("plain", k) for k, _ in metrics}
    for i, (k, name) in enumerate(metrics):
        xs, ys, lo, hi = [], [], [], []
        for j, m in enumerate(modes):
            v = F.all(m, k)
            if not v or not base[k]:
                continue
            med = statistics.median(v) / base[k]
            xs.append(j + (i - (len(metrics) - 1) / 2) * width)
            ys.append(med)
            lo.append(med - min(v) / base[k])
            hi.append(max(v) / base[k] - med)
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=name)
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.axhline(0.9, color="grey", lw=0.8, ls=":")
    ax.set_xticks(range(len(modes)))
    ax.set_xticklabels([LABEL[m].replace(", ", ",\n").replace(" + ", "\n+ ") for m in modes], fontsize=8)
    ax.set_ylabel("ratio to plain forwarding (median, min-max)")
    ax.set_title("throughput and rates")
    ax.legend(fontsize=8)
    ys = [F.med(m, "mix_ratio") for m in modes]
    keep = [(m, y) for m, y in zip(modes, ys) if y is not None]
    ax2.bar(range(len(keep)), [y for _, y in keep], color="tab:purple")
    ax2.set_xticks(range(len(keep)))
    ax2.set_xticklabels([m for m, _ in keep], rotation=45, fontsize=8)
    if keep:
        ax2.set_ylim(min(y for _, y in keep) * 0.98, max(y for _, y in keep) * 1.01)
    ax2.set_title("wan bytes / application bytes, fixed mix")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--md", required=True)
    ap.add_argument("--png", required=True)
    ap.add_argument("--marker", default="bench",
                    help="replace between <!-- MARKER:begin --> and <!-- MARKER:end -->")
    ap.add_argument("results")
    a = ap.parse_args()
    meta, vals, errors, skips = load(a.results)
    host = host_facts()
    text, F, modes, skips = render(meta, vals, errors, skips, host)
    try:
        with open(a.md) as f:
            doc = f.read()
    except OSError:
        doc = ""
    BEGIN, END = f"<!-- {a.marker}:begin -->", f"<!-- {a.marker}:end -->"
    if BEGIN in doc and END in doc:
        doc = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END),
                     lambda _: f"{BEGIN}\n{text}\n{END}", doc, flags=re.S)
    elif doc.strip():
        # Never replace a document that lacks the markers with the tables.
        sys.exit(f"report: {a.md} has no {BEGIN} ... {END}")
    else:
        doc = text + "\n"
    with open(a.md, "w") as f:
        f.write(doc)
    plot(F, modes, skips, a.png,
         f"svr benchmark, Linux {meta.get('kernel', '?')} under {host['qemu'].split('(')[0].strip()} TCG: ratios, not absolute numbers, are the result")
    print(f"report: {a.md}, {a.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
