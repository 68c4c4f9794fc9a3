#!/usr/bin/env python3
"""Helpers of bench/scale (stdlib only): HAProxy's stats socket and the analyses of the load logs (scale_load.py).

  scale_check.py haproxy SOCK CMD...            one command on the stats socket, its answer on stdout
  scale_check.py monitor SOCK OUT STOPFILE      polls `show stat` every 100 ms until STOPFILE exists (or 1 h): a line
                                                "<epoch> <backend> <server> <status>" for each server at the start
                                                and at every change of its status (UP, DOWN, MAINT, "UP 1/2"...)
  scale_check.py wait SOCK BACKEND SERVER STATUS TIMEOUT   waits until the server's status starts with STATUS
  scale_check.py first MONLOG BACKEND SERVER STATUS AFTER  the first time (epoch) after AFTER the server was in STATUS
  scale_check.py failures LOG FROM TO           the failed requests (5xx, no answer) and other non-2xx in [FROM, TO)
  scale_check.py inflight LOG KILLS.json        failed requests, each judged: in flight at a kill (started before it,
                                                ended after it) or not; KILLS.json: [{"svc", "server", "t"}]
  scale_check.py rows LOG... --users U.tsv --orders O.tsv   every 2xx write against the rows
  scale_check.py audit LOG... --trail T.tsv     the trail against the acknowledged writes: each event once, per
                                                entity in the order the changes happened
"""
import json, socket, sys, time


def haproxy(sock, cmd):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(sock)
    s.sendall((cmd + "\n").encode())
    out = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        out += d
    s.close()
    return out.decode()


def status(sock):
    rows = {}
    lines = haproxy(sock, "show stat").splitlines()
    head = lines[0].lstrip("# ").split(",")
    for l in lines[1:]:
        if not l:
            continue
        r = dict(zip(head, l.split(",")))
        if r["svname"] not in ("FRONTEND", "BACKEND"):
            rows[(r["pxname"], r["svname"])] = r["status"] + ("" if r["status"].startswith("UP") else "(" + r.get("check_status", "") + ")")
    return rows


def monitor(sock, out, stop):
    import os
    last = {}
    end = time.time() + 3600
    with open(out, "a", buffering=1) as f:
        while time.time() < end and not os.path.exists(stop):
            try:
                st = status(sock)
            except OSError:
                time.sleep(0.1)
                continue
            now = time.time()
            for k, v in st.items():
                if last.get(k) != v:
                    f.write("%.3f %s %s %s\n" % (now, k[0], k[1], v.replace(" ", "_")))
                    last[k] = v
            time.sleep(0.1)


def read_log(paths):
    out = []
    for p in paths:
        with open(p) as f:
            out.extend(json.loads(l) for l in f if l.strip())
    return out


def failed(r):
    return r["status"] == 0 or r["status"] >= 500


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "haproxy":
        print(haproxy(args[0], " ".join(args[1:])), end="")
    elif cmd == "monitor":
        monitor(*args)
    elif cmd == "wait":
        sock, be, sv, want, timeout = args
        end = time.time() + float(timeout)
        while time.time() < end:
            try:
                if status(sock).get((be, sv), "").startswith(want):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        sys.exit(1)
    elif cmd == "first":
        mon, be, sv, want, after = args
        for l in open(mon):
            t, b, s, st = l.split()
            if b == be and s == sv and st.startswith(want) and float(t) >= float(after):
                print(t)
                return
        print("never")
    elif cmd == "failures":
        logs, lo, hi = read_log([args[0]]), float(args[1]), float(args[2])
        win = [r for r in logs if lo <= r["t0"] < hi]
        bad = [r for r in win if not 200 <= r["status"] < 300]
        print(json.dumps({"requests": len(win), "failed": sum(1 for r in bad if failed(r)), "non_2xx": len(bad),
                          "examples": bad[:5]}))
    elif cmd == "inflight":
        logs, kills = read_log([args[0]]), json.load(open(args[1]))
        per_kill = {k["server"]: 0 for k in kills}
        outside = []
        for r in logs:
            if not failed(r):
                continue
            hit = next((k for k in kills if r["t0"] <= k["t"] + 0.05 and r["t1"] >= k["t"] - 0.05), None)
            if hit:
                per_kill[hit["server"]] += 1
            else:
                outside.append(r)
        other = [r for r in logs if not failed(r) and not 200 <= r["status"] < 300]
        print(json.dumps({"requests": len(logs), "in_flight_at_kill": per_kill, "failed_outside": len(outside),
                          "outside_examples": outside[:5], "other_non_2xx": len(other), "other_examples": other[:3]}))
    elif cmd == "rows":
        i = args.index("--users")
        logs = read_log(args[:i])
        users = {}
        for l in open(args[i + 1]):
            uid, ver, deleted = l.rstrip("\n").split("\t")
            users[uid] = (int(ver), deleted == "t")
        orders = set(l.strip() for l in open(args[args.index("--orders") + 1]) if l.strip())
        acked, lost = 0, []
        for r in logs:
            if not 200 <= r["status"] < 300 or r["method"] == "GET":
                continue
            acked += 1
            if r["op"] == "post_order":
                if r.get("id") not in orders:
                    lost.append(r)
            elif r["op"] == "post_user":
                if r.get("id") not in users:
                    lost.append(r)
            elif r["op"] in ("patch_user", "put_user"):
                u = users.get(r["id"])
                if not u or u[0] < r["ver"]:
                    lost.append(r)
            elif r["op"] == "delete_user":
                u = users.get(r["id"])
                if not u or not u[1]:
                    lost.append(r)
        print(json.dumps({"acknowledged_writes": acked, "lost": len(lost), "examples": lost[:5]}))
    elif cmd == "audit":
        i = args.index("--trail")
        logs = read_log(args[:i])
        trail = []   # seq, service, entity_type, entity_id, action, occurred_at (epoch us), event_id
        for l in open(args[i + 1]):
            seq, svc, et, eid, act, occ, ev = l.rstrip("\n").split("\t")
            trail.append((int(seq), svc, et, eid, act, int(occ), ev))
        trail.sort()
        events = {}
        for t in trail:
            events.setdefault(t[6], []).append(t[0])
        dup_events = {e: s for e, s in events.items() if len(s) > 1}
        per = {}
        for t in trail:
            per.setdefault((t[2], t[3]), []).append(t)
        # what the acknowledged writes must have left in the trail, per entity; entities with a failed write (its
        # transaction may or may not have committed) may hold one more event per failure
        expect, unsure = {}, {}
        act_of = {"post_user": ("user", "create"), "patch_user": ("user", "update"), "put_user": ("user", "update"),
                  "delete_user": ("user", "delete"), "post_order": ("order", "create")}
        for r in logs:
            if r["op"] not in act_of or not r.get("id"):
                continue
            et, act = act_of[r["op"]]
            k = (et, r["id"])
            if 200 <= r["status"] < 300:
                expect.setdefault(k, {}).setdefault(act, 0)
                expect[k][act] += 1
            elif failed(r):
                unsure[k] = unsure.get(k, 0) + 1
        missing, extra = [], []
        for k, acts in expect.items():
            got = {}
            for t in per.get(k, []):
                got[t[4]] = got.get(t[4], 0) + 1
            for act, n in acts.items():
                if got.get(act, 0) < n:
                    missing.append({"entity": k, "action": act, "acknowledged": n, "in_trail": got.get(act, 0)})
            if sum(got.values()) > sum(acts.values()) + unsure.get(k, 0):
                extra.append({"entity": k, "acknowledged": acts, "in_trail": got})
        # order: along seq, create first, delete last, occurred_at never decreasing
        disorder = []
        rank = {"create": 0, "delete": 2}
        for k, ts in per.items():
            if k[0] not in ("user", "order"):
                continue
            bad = None
            for a, b in zip(ts, ts[1:]):
                if b[5] < a[5] or rank.get(b[4], 1) < rank.get(a[4], 1):
                    bad = {"entity": list(k), "earlier_seq": [a[0], a[4], a[5], a[1]], "later_seq": [b[0], b[4], b[5], b[1]],
                           "later_happened_first_by_us": a[5] - b[5]}
                    break
            if bad:
                disorder.append(bad)
        checked = sum(1 for k, ts in per.items() if k[0] in ("user", "order") and len(ts) > 1)
        print(json.dumps({"trail_entries": len(trail), "acknowledged_entities": len(expect), "duplicate_event_ids": len(dup_events),
                          "missing": len(missing), "missing_examples": missing[:3], "extra": len(extra),
                          "extra_examples": extra[:3], "entities_with_several_events": checked,
                          "out_of_order_entities": len(disorder), "out_of_order_examples": disorder[:3]}, default=list))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
