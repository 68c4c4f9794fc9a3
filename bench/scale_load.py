#!/usr/bin/env python3
"""Load for bench/scale (stdlib only: threads + http.client keep-alive connections, one per load balancer and thread).

  scale_load.py mixed  --users URL --orders URL --audit URL --token T --threads N --duration S [--rate R]
                       [--stop-file F] --seed-users FILE --log OUT.jsonl --summary OUT.json
      A mixed load through the three load balancers for S seconds: GET user, GET order, list users, POST user,
      PATCH user (merge patch with If-Match), PUT user (If-Match), DELETE user (If-Match), POST order (with an
      Idempotency-Key, for one of the seed users), audit search. Each thread works on the users it created itself, so
      its If-Match versions are exact (a 412 would be a product failure). --rate R: requests/s per thread at most
      (0: as fast as the services answer, for the measured req/s). --stop-file F: stop early once F exists.
      --ops op:weight,...: other weights (bench/scale's burst of user writes: post_user:1,patch_user:3,delete_user:1).
      Every request is one line of the log: {"t0", "t1", "op", "method", "status" (0: no answer), "err" (refused,
      reset, timeout, eof, other: ...), "srv" (the X-Served-By header HAProxy adds: the replica), "id" (the entity
      written, for 2xx writes), "key" (order POSTs), "ver" (the version a 2xx PATCH/PUT answered)}. The summary:
      counts per op and status class, failures (5xx, no answer), requests/s.
  scale_load.py idem   --orders URL --token T --user ID --n 20 --out OUT.json
      n concurrent POST /orders with one Idempotency-Key and one body, each on its own connection (so round robin
      spreads them over the replicas), released together by a barrier.
  scale_load.py append --audit URL --token T --threads N --duration S --batch B --out OUT.json
      Appends to the audit trail as fast as it goes (service token of user-service): single POSTs (B = 1) or
      batches of B entries; entries/s created.
"""
import argparse, http.client, json, os, random, socket, sys, threading, time, uuid
from urllib.parse import urlsplit

TIMEOUT = 15.0   # longer than HAProxy's server timeout (10 s), so that its 504 shows first
# a connection idle this long is replaced before its next request: below HAProxy's keep-alive timeout (10 s), as HTTP
# clients keep their idle limit below the server's, else a request races the server closing the idle connection
# (a reset that says nothing about the system)
IDLE_LIMIT = 5.0


class Conn:
    """One keep-alive connection to one load balancer; reconnects after any error."""

    def __init__(self, base, token):
        u = urlsplit(base)
        self.host, self.port, self.token = u.hostname, u.port, token
        self.c = None
        self.last_used = 0.0

    def request(self, method, path, body=None, headers=None):
        h = {"Authorization": "Bearer " + self.token, "Accept": "application/json"}
        if headers:
            h.update(headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        if self.c is not None and time.time() - self.last_used > IDLE_LIMIT:
            self.close()
        if self.c is None:
            self.c = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            self.c.request(method, path, body=data, headers=h)
            r = self.c.getresponse()
            raw = r.read()
            self.last_used = time.time()
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            return r.status, r.getheader("X-Served-By", ""), r.getheader("ETag"), raw, ""
        except socket.timeout:
            err = "timeout"
        except ConnectionRefusedError:
            err = "refused"
        except ConnectionResetError:
            err = "reset"
        except (http.client.RemoteDisconnected, BrokenPipeError):
            err = "eof"
        except Exception as e:   # noqa: BLE001 - recorded, never raised: the drill judges it
            err = "other: " + type(e).__name__ + ": " + str(e)[:100]
        self.close()
        return 0, "", None, b"", err

    def close(self):
        if self.c is not None:
            try:
                self.c.close()
            except Exception:   # noqa: BLE001
                pass
        self.c = None



def run_threads(n, worker):
    """Runs worker(0..n-1) on n threads until all end; returns the seconds they took."""
    t0 = time.time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.time() - t0

def data_of(raw):
    try:
        return json.loads(raw)["data"]
    except Exception:   # noqa: BLE001
        return {}


def version_of(etag):
    return int(etag.strip('W/"')) if etag else None


def mixed(a):
    seed_users = [l.strip() for l in open(a.seed_users) if l.strip()]
    end = time.time() + a.duration
    logs, lock = [], threading.Lock()
    known_orders = []   # ids of orders created by 2xx answers (any thread), for GET order

    def worker(n):
        rnd = random.Random(n * 7919 + int(time.time()))
        cu, co, ca = Conn(a.users, a.token), Conn(a.orders, a.token), Conn(a.audit, a.token)
        mine = {}   # user id -> version, the users this thread created and still holds exactly
        out = []
        ops = (["get_user"] * 18 + ["get_order"] * 12 + ["list_users"] * 8 + ["post_user"] * 14 + ["patch_user"] * 12
               + ["put_user"] * 4 + ["delete_user"] * 5 + ["post_order"] * 17 + ["audit_search"] * 10)
        if a.ops:   # e.g. post_user:1,patch_user:3,delete_user:1
            ops = [o for spec in a.ops.split(",") for o in [spec.split(":")[0]] * int(spec.split(":")[1])]
        interval = 1.0 / a.rate if a.rate > 0 else 0
        nxt = time.time()
        while True:
            now = time.time()
            if now >= end or (a.stop_file and os.path.exists(a.stop_file)):
                break
            if interval:
                if now < nxt:
                    time.sleep(min(nxt - now, end - now))
                    continue
                nxt += interval
            op = rnd.choice(ops)
            if op in ("patch_user", "put_user", "delete_user") and not mine:
                op = "post_user"
            if op == "get_order" and not known_orders:
                op = "post_order"
            rec = {"op": op}
            t0 = time.time()
            if op == "get_user":
                uid = rnd.choice(list(mine) or seed_users) if rnd.random() < 0.5 else rnd.choice(seed_users)
                st, srv, et, raw, err = cu.request("GET", "/api/v1/users/" + uid)
                rec["method"] = "GET"
            elif op == "get_order":
                st, srv, et, raw, err = co.request("GET", "/api/v1/orders/" + rnd.choice(known_orders))
                rec["method"] = "GET"
            elif op == "list_users":
                st, srv, et, raw, err = cu.request("GET", "/api/v1/users?limit=10")
                rec["method"] = "GET"
            elif op == "audit_search":
                st, srv, et, raw, err = ca.request("GET", "/api/v1/audit-logs?limit=10&service=user-service")
                rec["method"] = "GET"
            elif op == "post_user":
                body = {"email": "scale-%s@example.com" % uuid.uuid4().hex, "first_name": "Scale", "last_name": "Load%d" % n}
                st, srv, et, raw, err = cu.request("POST", "/api/v1/users", body)
                rec["method"] = "POST"
                if 200 <= st < 300:
                    uid = data_of(raw).get("id")
                    rec["id"] = uid
                    if uid:
                        mine[uid] = version_of(et) or 1
            elif op in ("patch_user", "put_user"):
                uid = rnd.choice(list(mine))
                v = mine.pop(uid)   # back only on a 2xx answer: after a failure the version is unknown
                rec["id"] = uid
                if op == "patch_user":
                    st, srv, et, raw, err = cu.request("PATCH", "/api/v1/users/" + uid, {"first_name": "P%d" % rnd.randrange(10**9)},
                                                       {"Content-Type": "application/merge-patch+json", "If-Match": '"%d"' % v})
                    rec["method"] = "PATCH"
                else:
                    st, srv, et, raw, err = cu.request("PUT", "/api/v1/users/" + uid,
                                                       {"email": "scale-%s@example.com" % uuid.uuid4().hex, "first_name": "Put",
                                                        "last_name": "R%d" % rnd.randrange(10**9)}, {"If-Match": '"%d"' % v})
                    rec["method"] = "PUT"
                if 200 <= st < 300:
                    nv = version_of(et) or v + 1
                    mine[uid] = nv
                    rec["ver"] = nv
            elif op == "delete_user":
                uid = rnd.choice(list(mine))
                v = mine.pop(uid)
                rec["id"] = uid
                st, srv, et, raw, err = cu.request("DELETE", "/api/v1/users/" + uid, None, {"If-Match": '"%d"' % v})
                rec["method"] = "DELETE"
            else:   # post_order
                key = "scale-" + uuid.uuid4().hex
                body = {"user_id": rnd.choice(seed_users),
                        "items": [{"sku": "SC-%d" % rnd.randrange(100), "name": "Thing", "quantity": 1 + rnd.randrange(3), "unit_price": 9.99}]}
                st, srv, et, raw, err = co.request("POST", "/api/v1/orders", body, {"Idempotency-Key": key})
                rec["method"] = "POST"
                rec["key"] = key
                if 200 <= st < 300:
                    oid = data_of(raw).get("id")
                    rec["id"] = oid
                    if oid:
                        with lock:
                            known_orders.append(oid)
            rec.update(t0=round(t0, 4), t1=round(time.time(), 4), status=st, srv=srv)
            if err:
                rec["err"] = err
            elif not 200 <= st < 300:
                rec["body"] = raw[:200].decode("utf-8", "replace")
            out.append(rec)
        for c in (cu, co, ca):
            c.close()
        with lock:
            logs.extend(out)

    elapsed = run_threads(a.threads, worker)
    logs.sort(key=lambda r: r["t0"])
    with open(a.log, "w") as f:
        for r in logs:
            f.write(json.dumps(r) + "\n")
    json.dump(summarise(logs, elapsed), open(a.summary, "w"))


def summarise(logs, elapsed):
    per_op, failed, errs, lat = {}, 0, {}, []
    for r in logs:
        cls = "err" if r["status"] == 0 else "%dxx" % (r["status"] // 100)
        per_op.setdefault(r["op"], {}).setdefault(cls, 0)
        per_op[r["op"]][cls] += 1
        if r["status"] == 0 or r["status"] >= 500:
            failed += 1
        if r.get("err"):
            k = r["err"].split(":")[0]
            errs[k] = errs.get(k, 0) + 1
        lat.append(r["t1"] - r["t0"])
    lat.sort()
    pct = lambda q: round(lat[min(len(lat) - 1, int(len(lat) * q))] * 1000, 1) if lat else None
    return {"requests": len(logs), "seconds": round(elapsed, 2), "rps": round(len(logs) / elapsed, 1) if elapsed else 0,
            "failed": failed, "errors": errs, "p50_ms": pct(0.5), "p99_ms": pct(0.99), "per_op": per_op,
            "non_2xx": sum(1 for r in logs if not 200 <= r["status"] < 300)}


def idem(a):
    key = "scale-idem-" + uuid.uuid4().hex
    body = {"user_id": a.user, "items": [{"sku": "IDEM-1", "name": "Once", "quantity": 1, "unit_price": 1.00}]}
    barrier = threading.Barrier(a.n)
    res = [None] * a.n

    def one(i):
        c = Conn(a.orders, a.token)
        barrier.wait()
        st, srv, et, raw, err = c.request("POST", "/api/v1/orders", body, {"Idempotency-Key": key})
        c.close()
        res[i] = {"status": st, "srv": srv, "id": data_of(raw).get("id"), "err": err,
                  "body": "" if 200 <= st < 300 else raw[:200].decode("utf-8", "replace")}

    threads = [threading.Thread(target=one, args=(i,)) for i in range(a.n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    json.dump({"key": key, "answers": res}, open(a.out, "w"))


def append(a):
    end = time.time() + a.duration
    created, answers, lock = [0], {}, threading.Lock()

    def entry(n):
        return {"event_id": str(uuid.uuid4()), "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "service": "user-service", "actor": "scale-bench", "action": "create", "entity_type": "bench",
                "entity_id": "t%d" % n, "request_id": "scale-append", "details": {"n": n}}

    def worker(n):
        c = Conn(a.audit, a.token)
        mine, got = 0, {}
        while time.time() < end:
            if a.batch == 1:
                st, srv, et, raw, err = c.request("POST", "/api/v1/audit-logs", entry(n))
                k = 1
            else:
                st, srv, et, raw, err = c.request("POST", "/api/v1/audit-logs/batch", {"entries": [entry(n) for _ in range(a.batch)]})
                k = a.batch
            got[st or err] = got.get(st or err, 0) + 1
            if 200 <= st < 300:
                mine += k
        c.close()
        with lock:
            created[0] += mine
            for s, v in got.items():
                answers[str(s)] = answers.get(str(s), 0) + v

    el = run_threads(a.threads, worker)
    json.dump({"batch": a.batch, "threads": a.threads, "seconds": round(el, 2), "entries": created[0],
               "entries_per_s": round(created[0] / el, 1), "answers": answers}, open(a.out, "w"))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("mixed")
    for k in ("users", "orders", "audit", "token", "seed_users", "log", "summary"):
        m.add_argument("--" + k.replace("_", "-"), dest=k, required=True)
    m.add_argument("--threads", type=int, default=8)
    m.add_argument("--duration", type=float, default=10)
    m.add_argument("--rate", type=float, default=0)
    m.add_argument("--stop-file", default="")
    m.add_argument("--ops", default="", help="op:weight,... instead of the mixed weights")
    i = sub.add_parser("idem")
    for k in ("orders", "token", "user", "out"):
        i.add_argument("--" + k, required=True)
    i.add_argument("--n", type=int, default=20)
    ap = sub.add_parser("append")
    for k in ("audit", "token", "out"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--duration", type=float, default=5)
    ap.add_argument("--batch", type=int, default=1)
    a = p.parse_args()
    {"mixed": mixed, "idem": idem, "append": append}[a.cmd](a)


if __name__ == "__main__":
    main()
