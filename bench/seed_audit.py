#!/usr/bin/env python3
"""Writes N audit entries as PostgreSQL COPY text (stdout) forming a valid hash chain, computed exactly as
audit-log-service's HashChain does: hash = hex(HMAC-SHA256(key, prev_hash|seq|id|recorded_at|canonical(event))),
canonical = the event as JSON with sorted keys, nulls kept, no spaces; Instant.toString() timestamps (whole seconds
here, so "YYYY-MM-DDTHH:MM:SSZ"). Every value is plain ASCII without characters JSON would escape, so the Python
spelling is byte-identical to Parsson's. Each entry names the key's id (IntegrityKeys: the first 16 hex digits of
HMAC(key, "ems-audit-integrity-key-id")). The last line on stderr is "HEAD <seq> <hash> <seal> <key_id>" (the new
chain head and its seal, HMAC(key, "head|seq|hash")).

usage: seed_audit.py N KEY [START_EPOCH]
Columns: seq id event_id occurred_at recorded_at service actor action entity_type entity_id request_id details
         client_address user_agent prev_hash hash key_id
Personal data as the services record it (README, "Personal data in the audit trail"): the email and the client
address as pseudonyms under the local profile's pseudonymisation key.
Distribution: service alternates user-service / order-service (seq % 2); action by (seq // 2) % 10: 0-3 create,
4-6 update, 7-8 status_change (orders) or update (users), 9 delete.
"""
import hashlib, hmac, sys, time, random

n = int(sys.argv[1])
key = sys.argv[2].encode()
start = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time()) - n - 3600
rnd = random.Random(42)
out = sys.stdout
prev = "0" * 64
buf = []
mac0 = hmac.new(key, digestmod=hashlib.sha256)
key_id = hmac.new(key, b"ems-audit-integrity-key-id", hashlib.sha256).hexdigest()[:16]
PSEUDONYMISATION_KEY = b"local-development-pseudonymisation-key"
PSEUDONYM_KEY_ID = hmac.new(PSEUDONYMISATION_KEY, b"ems-audit-pseudonymisation-key-id", hashlib.sha256).hexdigest()[:16]

def pseudonym(value):
    return "hmac-sha256:%s:%s" % (PSEUDONYM_KEY_ID, hmac.new(PSEUDONYMISATION_KEY, value.encode(), hashlib.sha256).hexdigest())

CLIENT = pseudonym("127.0.0.1")

def uid():
    h = "%032x" % rnd.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

def md5uuid(s):
    h = hashlib.md5(s.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

ACTIONS = ["create"] * 4 + ["update"] * 3 + ["status_change"] * 2 + ["delete"]
for seq in range(1, n + 1):
    service = "user-service" if seq % 2 else "order-service"
    action = ACTIONS[(seq // 2) % 10]
    if service == "user-service" and action == "status_change":
        action = "update"
    k = 1 + (seq // 2) % 100000
    if service == "user-service":
        etype, eid = "user", md5uuid(f"u{k}")
        details = '{"after":{"email":"%s","status":"active"}}' % pseudonym("user%d@example.com" % k)
    else:
        etype, eid = "order", md5uuid(f"o{k}")
        details = '{"after":{"currency":"USD","status":"pending","total_amount":"25.00"}}'
    t = start + seq
    occurred = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    recorded = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t + 1))
    eid_ = uid(); event_id = uid(); request_id = f"bench-{seq}"
    canonical = ('{"action":"%s","actor":"system","client_address":"%s","details":%s,"entity_id":"%s",'
                 '"entity_type":"%s","event_id":"%s","occurred_at":"%s","request_id":"%s","service":"%s",'
                 '"user_agent":null}') % (action, CLIENT, details, eid, etype, event_id, occurred, request_id, service)
    m = mac0.copy()
    m.update(f"{prev}|{seq}|{eid_}|{recorded}|{canonical}".encode())
    h = m.hexdigest()
    buf.append("\t".join((str(seq), eid_, event_id, occurred, recorded, service, "system", action, etype, eid,
                          request_id, details, CLIENT, "\\N", prev, h, key_id)))
    prev = h
    if len(buf) >= 10000:
        out.write("\n".join(buf) + "\n"); buf.clear()
if buf:
    out.write("\n".join(buf) + "\n")
seal = hmac.new(key, f"head|{n}|{prev}".encode(), hashlib.sha256).hexdigest()
print(f"HEAD {n} {prev} {seal} {key_id}", file=sys.stderr)
