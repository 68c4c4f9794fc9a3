#!/usr/bin/env python3
"""Helpers of bench/run (JSON in, JSON/text out):
  pgbench OUT LOGPREFIX          parse pgbench's stdout + its per-transaction logs (-l) -> JSON (tps, p50/p99/p99.9/max,
                                 errors)
  combine A.json B.json ...      several concurrent runs as one: rates, requests and errors summed; p50..max = the
                                 worst of the parts for wrk (its histograms are per process), exact for pgbench
                                 (pass its raw latencies with --pgbench LOGPREFIX...)
  field FILE KEY                 print one top-level field of a JSON file
  table RESULTS.json             the per-scenario tables (and, for a --tracing run, each setting against "off")
"""
import glob, json, math, re, sys

def pct(sorted_vals, p):
    if not sorted_vals:
        return None
    i = min(len(sorted_vals) - 1, max(0, math.ceil(p / 100 * len(sorted_vals)) - 1))
    return sorted_vals[i]

def pg_latencies(prefixes):
    lat = []
    for prefix in prefixes:
        for f in glob.glob(prefix + ".[0-9]*"):
            with open(f) as fh:
                for line in fh:
                    parts = line.split()
                    if len(parts) >= 3 and parts[2].isdigit():   # client tx latency_us script epoch us
                        lat.append(int(parts[2]) / 1000.0)
                    elif len(parts) >= 3:                        # "failed"/"skipped" in the latency column
                        lat.append(None)
    return lat

def pgbench(out, prefixes):
    text = open(out).read()
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", text)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    processed = re.search(r"number of transactions actually processed: (\d+)", text)
    lat = pg_latencies(prefixes)
    ok = sorted(x for x in lat if x is not None)
    res = {"rps": float(m.group(1)) if m else 0.0,
           "requests": int(processed.group(1)) if processed else len(ok),
           "p50_ms": pct(ok, 50), "p99_ms": pct(ok, 99), "p999_ms": pct(ok, 99.9), "max_ms": ok[-1] if ok else None,
           "errors": (int(failed.group(1)) if failed else 0) + sum(1 for x in lat if x is None)}
    if not m:
        res["error_text"] = text[-800:]
        res["errors"] = max(res["errors"], 1)
    return res

def combine(files, pg_prefixes):
    parts = [json.load(open(f)) for f in files]
    res = {"rps": sum(p.get("rps") or 0 for p in parts),
           "requests": sum(p.get("requests") or 0 for p in parts),
           "errors": sum(p.get("errors") or 0 for p in parts),
           "parts": parts}
    if pg_prefixes:
        ok = sorted(x for x in pg_latencies(pg_prefixes) if x is not None)
        res["p50_ms"], res["p99_ms"], res["p999_ms"] = pct(ok, 50), pct(ok, 99), pct(ok, 99.9)
        res["max_ms"] = ok[-1] if ok else None
    else:
        for k in ("p50_ms", "p99_ms", "p999_ms", "max_ms"):
            res[k] = max((p.get(k) or 0) for p in parts)
        res["latency_note"] = "p50/p99/p99.9: the worst of the concurrent wrk processes"
    return res

def fmt(v, spec):
    return format(v, spec) if isinstance(v, (int, float)) else "-"

def table(path):
    r = json.load(open(path))
    print(f"\n== results ({r.get('started')}; {r.get('note', '')})")
    by = {}
    for row in r["runs"]:
        by.setdefault(row["scenario"], []).append(row)
    for sc, rows in by.items():
        print(f"\n{sc}: {rows[0].get('what', '')}")
        print(f"  {'tracing':<10} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'p99.9':>8} {'max':>8} {'errors':>7} | "
              f"{'reference':<28} {'ref tx/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'p99.9':>7} {'err':>4} | {'ratio':>6}  warm-up")
        for x in rows:
            s, ref = x["service"], x.get("reference") or {}
            w = x.get("warmup", {})
            wtxt = ("levelled" if w.get("levelled") else "NOT levelled (cap)") + \
                   f" after {len(w.get('intervals', []))}x{w.get('interval_s')}s"
            t = x.get("tracing")
            label = f"{t['setting']} r{t['round']}" if t else "-"
            print(f"  {label:<10} {x['clients']:>7} {fmt(s.get('rps'), '9.0f')} {fmt(s.get('p50_ms'), '8.2f')} {fmt(s.get('p99_ms'), '8.2f')} "
                  f"{fmt(s.get('p999_ms'), '8.2f')} {fmt(s.get('max_ms'), '8.2f')} "
                  f"{fmt(s.get('errors'), '7d')} | {x.get('reference_name', '-')[:28]:<28} {fmt(ref.get('rps'), '9.0f')} "
                  f"{fmt(ref.get('p50_ms'), '7.2f')} {fmt(ref.get('p99_ms'), '7.2f')} {fmt(ref.get('p999_ms'), '7.2f')} "
                  f"{fmt(ref.get('errors'), '4d')} | "
                  f"{fmt(x.get('ratio'), '6.2f')}  {wtxt}")
    print(f"\nstart-up to ready (ms) and JVM RSS after the load (MB), JVM options: {r.get('jvm_options') or '(none)'}")
    for s, v in r.get("services", {}).items():
        print(f"  {s:<18} cold start {v.get('startup_cold_ms')} ms (incl. initdb/migrations), "
              f"restart with data {v.get('startup_ms')} ms = embedded PostgreSQL {v.get('embedded_postgres_start_ms', 0)} ms "
              f"+ service {v.get('startup_service_ms', v.get('startup_ms'))} ms, RSS {v.get('rss_mb_after_load')} MB")
    if r.get("peer"):
        print(f"  peer ({r['peer']['dir']}): RSS {r['peer'].get('rss_mb_after_load')} MB")
    for k, v in r.get("derived", {}).items():
        print(f"  {k}: {v}")
    tracing_table(r["runs"])

def median(vals):
    vals = sorted(v for v in vals if v is not None)
    if not vals:
        return None
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2

def tracing_table(runs):
    """Per scenario and client count: each --tracing setting's median rate and p99 over its rounds, against off's."""
    cells = {}
    for x in runs:
        t = x.get("tracing")
        if t:
            cells.setdefault((x["scenario"], x["clients"]), {}).setdefault(t["setting"], []).append(x["service"])
    if not cells:
        return
    print("\nwhat tracing costs: median over the rounds (each round's in brackets), change against off; CPU: the three "
          "JVMs' user + system time per request")
    for (sc, c), by in cells.items():
        base = by.get("off")
        base_rps = median([s.get("rps") for s in base]) if base else None
        base_p99 = median([s.get("p99_ms") for s in base]) if base else None
        base_cpu = median([s.get("jvm_cpu_us_per_request") for s in base]) if base else None
        print(f"  {sc} c={c}")
        for setting, parts in by.items():
            rps, p99 = median([s.get("rps") for s in parts]), median([s.get("p99_ms") for s in parts])
            cpu = median([s.get("jvm_cpu_us_per_request") for s in parts])
            errors = sum(s.get("errors") or 0 for s in parts)
            each = ", ".join(fmt(s.get("rps"), ".0f") for s in parts)
            vs = ""
            if base_rps and rps is not None and setting != "off":
                vs = f"  rate {100 * (rps / base_rps - 1):+.1f} %"
                if base_p99 and p99 is not None:
                    vs += f", p99 {100 * (p99 / base_p99 - 1):+.1f} %"
                if base_cpu and cpu is not None:
                    vs += f", CPU per request {100 * (cpu / base_cpu - 1):+.1f} %"
            each_cpu = ", ".join(fmt(s.get("jvm_cpu_us_per_request"), ".0f") for s in parts)
            zipkin = median([s.get("zipkin_cpu_us_per_request") for s in parts])
            ztxt = f"  Zipkin server {zipkin:.0f} us/request" if zipkin else ""
            print(f"    {setting:<8} {fmt(rps, '9.0f')} req/s ({each})  p99 {fmt(p99, '.2f')} ms  "
                  f"CPU {fmt(cpu, '.0f')} us/request ({each_cpu}){ztxt}  errors {errors}{vs}")

if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "pgbench":
        print(json.dumps(pgbench(args[0], args[1:])))
    elif cmd == "combine":
        pg = []
        if "--pgbench" in args:
            i = args.index("--pgbench"); pg = args[i + 1:]; args = args[:i]
        print(json.dumps(combine(args, pg)))
    elif cmd == "field":
        v = json.load(open(args[0])).get(args[1]); print("" if v is None else v)
    elif cmd == "row":   # the last row of a rows.jsonl, one line
        x = json.loads(open(args[0]).read().splitlines()[-1]); s, r = x["service"], x["reference"]
        print(f"RESULT {x['scenario']:<12} c={x['clients']:<3} {fmt(s.get('rps'), '.0f')} req/s p50 {fmt(s.get('p50_ms'), '.2f')} ms "
              f"p99 {fmt(s.get('p99_ms'), '.2f')} p99.9 {fmt(s.get('p999_ms'), '.2f')} max {fmt(s.get('max_ms'), '.2f')} ms "
              f"errors {s.get('errors')} cpu {fmt(s.get('jvm_cpu_us_per_request', s.get('peer_cpu_us_per_request')), '.0f')} us/req "
              f"| ref {fmt(r.get('rps'), '.0f')} tx/s "
              f"p99 {fmt(r.get('p99_ms'), '.2f')} ms errors {r.get('errors')} | ratio {fmt(x.get('ratio'), '.2f')}", flush=True)
    elif cmd == "table":
        table(args[0])
    else:
        sys.exit("unknown command " + cmd)
