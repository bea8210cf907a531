#!/usr/bin/env python3
"""Takes the measurements of bench/run.sh (which builds, installs the peers and generates the
inputs first) and prints them as a Markdown report against the targets of issue 8.

Wall time and peak RSS of a process come from wait4(2), as GNU time's "Maximum resident set
size" does. Medians everywhere; every ratio compares figures taken in the same run.
"""
import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TARGETS = {
    "typical_ms": 5.0,
    "gixy_ratio": 50.0,
    "parse_mb_s": 100.0,
    "crossplane_ratio": 30.0,
    "fleet_10000_s": 3.0,
    "fleet_rss_mb": 200.0,
    "typical_rss_mb": 16.0,
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(cmd, cwd=None):
    """Runs cmd once, output discarded: (wall seconds, peak RSS in KiB, exit code, CPU seconds).

    Peak RSS and CPU time come from GNU time when installed (a small process: a child forked
    from Python would count this interpreter's pages in its peak), else from wait4(2)."""
    if GNU_TIME:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
            start = time.perf_counter()
            code = subprocess.call([GNU_TIME, "-f", "%M %U %S %x", "-o", out.name] + cmd, cwd=cwd,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            fields = out.read().split()[-4:]
            rss, user, system, code = int(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
            return wall, rss, code, user + system
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "ram_gib": mem_kib / 1024 / 1024,
        "kernel": platform.release(),
        "load": os.getloadavg(),
    }


def latency(commands, quick):
    """Median wall time of each (name, argv): hyperfine when installed, else a loop here."""
    min_runs = 10 if quick else 30
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            argv = ["hyperfine", "-N", "-i", "--style", "none", "--warmup", "5", "--min-runs", str(min_runs),
                    "--export-json", tmp.name]
            if quick:
                argv += ["--min-benchmarking-time", "1"]
            for name, cmd in commands:
                argv += ["-n", name, shlex.join(cmd)]
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
            results = json.load(open(tmp.name))["results"]
            return {r["command"]: (r["median"], len(r["times"])) for r in results}, "hyperfine"
    out = {}
    for name, cmd in commands:
        for _ in range(3):
            run(cmd)
        times = []
        start = time.perf_counter()
        while len(times) < min_runs or time.perf_counter() - start < (1 if quick else 3):
            times.append(run(cmd)[0])
        out[name] = (statistics.median(times), len(times))
    return out, "a loop in bench/measure.py"


def peak_rss(cmd, runs=10):
    """Median peak RSS in MB (GNU time's own few hundred KB included when it measures)."""
    return statistics.median(run(cmd)[1] for _ in range(runs)) / 1024


def crossplane_parse(venv, path, rounds):
    code = (
        "import crossplane, statistics, sys, time\n"
        "ts = []\n"
        f"for _ in range({rounds}):\n"
        "    t = time.perf_counter()\n"
        "    crossplane.parse(sys.argv[1], single=True, catch_errors=True, check_ctx=False, check_args=False)\n"
        "    ts.append(time.perf_counter() - t)\n"
        "print(statistics.median(ts))\n"
    )
    res = subprocess.run([f"{venv}/bin/python", "-c", code, path], check=True, capture_output=True, text=True)
    return float(res.stdout.strip())


def fleet(lint, root, n, fmt, runs):
    """(median wall seconds, largest peak RSS in MB, median CPU seconds, load average before)."""
    cmd = [lint, "check", root] + (["--format", fmt] if fmt != "full" else [])
    res = subprocess.run([lint, "check", root, "--format", "json", "--statistics"], capture_output=True, text=True)
    stacks = json.loads(res.stdout)["summary"]["stacks"]
    assert stacks == n, f"{root}: {stacks} stacks reported, {n} generated"
    run(cmd)  # the page cache warm, as on a server that lints often
    load = os.getloadavg()[0]
    samples = [run(cmd) for _ in range(runs)]
    assert all(s[2] == 1 for s in samples), "findings exit 1"
    return (statistics.median(s[0] for s in samples), max(s[1] for s in samples) / 1024,
            statistics.median(s[3] for s in samples), load)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--lint", required=True)
    ap.add_argument("--helper", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fleets", nargs="+", type=int, default=[1000, 10000])
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    m = machine()
    demo = os.path.join(a.repo, "fixtures/demo")
    typical = os.path.join(a.data, "typical")
    typical_nginx = os.path.join(typical, "nginx/odoo.conf")
    gixy, crossplane = f"{a.venv}/bin/gixy", f"{a.venv}/bin/crossplane"
    lines = []
    emit = lines.append
    ok = lambda good: "yes" if good else "**no**"

    log("== latency")
    commands = [
        ("odoo-lint check fixtures/demo", [a.lint, "check", demo]),
        ("odoo-lint check typical (5 files)", [a.lint, "check", typical]),
        ("odoo-lint check typical nginx file alone", [a.lint, "check", typical_nginx]),
        ("gixy typical nginx file", [gixy, typical_nginx]),
        ("gixy fixtures/demo nginx file", [gixy, os.path.join(demo, "nginx/odoo.conf")]),
        ("crossplane parse typical nginx file", [crossplane, "parse", typical_nginx]),
    ]
    lat, timer = latency(commands, a.quick)
    ms = {k: v[0] * 1000 for k, v in lat.items()}
    typ = ms["odoo-lint check typical (5 files)"]
    gixy_ratio = ms["gixy typical nginx file"] / typ
    emit(f"### Latency (whole process, median; timed with {timer})\n")
    emit("| command | median | runs | vs odoo-lint on the typical stack |")
    emit("|---|---:|---:|---:|")
    for name, _ in commands:
        emit(f"| {name} | {ms[name]:.2f} ms | {lat[name][1]} | {ms[name] / typ:.1f}× |")
    emit("")

    log("== peak memory")
    rss_typ = peak_rss([a.lint, "check", typical])
    rss_demo = peak_rss([a.lint, "check", demo])
    rss_gixy = peak_rss([gixy, typical_nginx], runs=3)

    log("== nginx parsing throughput")
    big = os.path.join(a.data, "big-nginx/nginx.conf")
    res = subprocess.run([a.helper, "parse", big, "1" if a.quick else "5"], check=True, capture_output=True, text=True)
    ours = dict(kv.split("=") for kv in res.stdout.split())
    mb = int(ours["bytes"]) / 1e6
    ours_s = float(ours["median_ms"]) / 1000
    cp_s = crossplane_parse(a.venv, big, 1 if a.quick else 3)
    parse_ratio = cp_s / ours_s

    fleets = {}
    for n in a.fleets:
        for fmt in ("full", "json"):
            log(f"== fleet of {n} stacks, {fmt} output")
            fleets[(n, fmt)] = fleet(a.lint, os.path.join(a.data, f"fleet-{n}"), n, fmt, 3 if (a.quick or n > 1000) else 5)

    emit("### Targets\n")
    emit("| target | measured | met |")
    emit("|---|---:|:---:|")
    emit(f"| typical stack ≤ {TARGETS['typical_ms']:.0f} ms (median, whole process) | {typ:.2f} ms | {ok(typ <= TARGETS['typical_ms'])} |")
    emit(f"| ≥ {TARGETS['gixy_ratio']:.0f}× faster than gixy on the stack's nginx file | {gixy_ratio:.0f}× | {ok(gixy_ratio >= TARGETS['gixy_ratio'])} |")
    emit(f"| typical stack peak RSS ≤ {TARGETS['typical_rss_mb']:.0f} MB | {rss_typ:.1f} MB | {ok(rss_typ <= TARGETS['typical_rss_mb'])} |")
    speed = mb / ours_s
    emit(f"| nginx parsing ≥ {TARGETS['parse_mb_s']:.0f} MB/s | {speed:.0f} MB/s | {ok(speed >= TARGETS['parse_mb_s'])} |")
    emit(f"| nginx parsing ≥ {TARGETS['crossplane_ratio']:.0f}× crossplane | {parse_ratio:.0f}× | {ok(parse_ratio >= TARGETS['crossplane_ratio'])} |")
    if (10000, "full") in fleets:
        for fmt in ("full", "json"):
            wall, rss, _, _ = fleets[(10000, fmt)]
            emit(f"| 10,000 stacks ≤ {TARGETS['fleet_10000_s']:.0f} s ({fmt} output) | {wall:.2f} s | {ok(wall <= TARGETS['fleet_10000_s'])} |")
            emit(f"| 10,000 stacks RSS ≤ {TARGETS['fleet_rss_mb']:.0f} MB ({fmt} output) | {rss:.0f} MB | {ok(rss <= TARGETS['fleet_rss_mb'])} |")
    if (1000, "full") in fleets and (10000, "full") in fleets:
        small, big = fleets[(1000, "full")], fleets[(10000, "full")]
        wall_x, cpu_x, rss_x = big[0] / small[0], big[2] / small[2], big[1] / small[1]
        emit(f"| linear growth, 1,000 → 10,000 stacks (≤ 12× the CPU time) | CPU {cpu_x:.1f}×, wall {wall_x:.1f}×, RSS {rss_x:.1f}× | {ok(cpu_x <= 12)} |")
    emit("")

    emit("### nginx parsing (in process, one 10 MB file)\n")
    emit("| parser | median | throughput |")
    emit("|---|---:|---:|")
    emit(f"| odoo-lint (UTF-8 check, line index, lossless tree) | {ours_s * 1000:.0f} ms | {mb / ours_s:.0f} MB/s |")
    emit(f"| crossplane 0.5.8 `parse(single=True, check_ctx=False, check_args=False)` | {cp_s:.2f} s | {mb / cp_s:.2f} MB/s |")
    emit(f"\n{ours['directives']} directives in {mb:.1f} MB; odoo-lint is {parse_ratio:.0f}× crossplane.\n")

    emit("### Fleet (median of warm runs; peak RSS the largest; CPU = user + system of all threads)\n")
    emit("| stacks | files | output | wall | files/s | CPU | peak RSS | load before |")
    emit("|---:|---:|---|---:|---:|---:|---:|---:|")
    for (n, fmt), (wall, rss, cpu, load) in sorted(fleets.items()):
        emit(f"| {n:,} | {5 * n:,} | {fmt} | {wall:.2f} s | {5 * n / wall:,.0f} | {cpu:.2f} s | {rss:.0f} MB | {load:.1f} |")
    emit("")
    emit("### Peak memory (median of 10 runs)\n")
    emit(f"typical stack {rss_typ:.1f} MB, fixtures/demo {rss_demo:.1f} MB; gixy on the typical nginx file {rss_gixy:.1f} MB.\n")
    emit(f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']:.1f} GiB RAM, Linux {m['kernel']}; "
         f"load average at the start {m['load'][0]:.2f}.")
    report = "\n".join(lines) + "\n"
    with open(a.out, "w") as f:
        f.write(report)
    print(report)
    log(f"(written to {a.out})")


if __name__ == "__main__":
    main()
