// Typical calls of a TypeScript client of EMS, taken from the README's curl examples: types generated from the
// assembled OpenAPI documents with openapi-typescript (generated/<service>.ts), calls through openapi-fetch.
// checks/clients/run compiles this file with `tsc --strict` (tsconfig.json) against freshly generated types: it is
// never run, so what it proves is that a client written the way the README reads type-checks, with only the
// required fields and without the parameters that have a default.
import createClient from "openapi-fetch";
import type { components as AuditApi, paths as AuditPaths } from "./generated/audit-log-service";
import type { components as OrderApi, paths as OrderPaths } from "./generated/order-service";
import type { components as UserApi, paths as UserPaths } from "./generated/user-service";

type User = UserApi["schemas"]["User"];
type Order = OrderApi["schemas"]["Order"];
type AuditEntry = AuditApi["schemas"]["AuditEntry"];
type ErrorEnvelope = UserApi["schemas"]["ErrorEnvelope"];

const users = createClient<UserPaths>({ baseUrl: "http://localhost:8081" });
const orders = createClient<OrderPaths>({ baseUrl: "http://localhost:8082" });
const audit = createClient<AuditPaths>({ baseUrl: "http://localhost:8083" });

/**
 * An error answer as an Error: the envelope's `error.code` and message (and the first bad field, if any). The
 * envelope may be absent: a few answers have no body (user-service's CORS 403, a 405's...), so `data` is what to test.
 */
function failure(response: Response, envelope: ErrorEnvelope | undefined): Error {
  if (envelope === undefined) return new Error(`${response.status} without an error envelope`);
  const first = envelope.error.details?.[0];
  return new Error(`${response.status} ${envelope.error.code}: ${envelope.error.message}`
                   + (first ? ` (${first.field}: ${first.message})` : ""));
}

// ------------------------------------------------------------------------------------------------ user-service

/** create: only the required fields (role and status take their defaults); 201 with Location and ETag. */
export async function createUser(): Promise<{ user: User; etag: string | null }> {
  const { data, error, response } = await users.POST("/api/v1/users", {
    body: { email: "ada@example.com", first_name: "Ada", last_name: "Lovelace" },
  });
  if (!data) throw failure(response, error);
  return { user: data.data, etag: response.headers.get("ETag") };
}

/** create with every optional field, as the README's first curl. */
export async function createAdmin(): Promise<User> {
  const { data, error, response } = await users.POST("/api/v1/users", {
    body: { email: "ada@example.com", first_name: "Ada", last_name: "Lovelace", phone: "+14155550123", role: "admin" },
  });
  if (!data) throw failure(response, error);
  return data.data;
}

/** get one; 404 is an answer, not an exception. */
export async function getUser(id: string): Promise<User | undefined> {
  const { data, error, response } = await users.GET("/api/v1/users/{id}", { params: { path: { id } } });
  if (!data) {
    if (error?.error.code === "NOT_FOUND") return undefined;
    throw failure(response, error);
  }
  return data.data;
}

/** list: a filter alone (page and page_size have defaults), then numbered pages as in the README. */
export async function listUsers(): Promise<number> {
  const active = await users.GET("/api/v1/users", { params: { query: { status: "active" } } });
  if (!active.data) throw failure(active.response, active.error);
  const paged = await users.GET("/api/v1/users", {
    params: { query: { page: 1, page_size: 20, status: "active", role: "admin", q: "ada" } },
  });
  if (!paged.data) throw failure(paged.response, paged.error);
  const meta = paged.data.meta;
  return active.data.data.length + ("total_count" in meta ? meta.total_count : paged.data.data.length);
}

/** keyset paging: limit (or nothing but the cursor), then meta.next_cursor until it is absent. */
export async function walkUsers(): Promise<User[]> {
  const all: User[] = [];
  let cursor: string | undefined;
  do {
    const { data, error, response } = await users.GET("/api/v1/users", {
      params: { query: cursor === undefined ? { status: "active", limit: 100 } : { status: "active", cursor } },
    });
    if (!data) throw failure(response, error);
    all.push(...data.data);
    cursor = "next_cursor" in data.meta ? data.meta.next_cursor : undefined;
  } while (cursor !== undefined);
  return all;
}

/** replace (PUT) with If-Match, partial update (merge patch, phone: null removes it), soft delete. */
export async function changeUser(id: string): Promise<void> {
  const put = await users.PUT("/api/v1/users/{id}", {
    params: { path: { id }, header: { "If-Match": '"1"' } },
    body: { email: "ada@example.com", first_name: "Ada", last_name: "King", role: "admin", status: "inactive" },
  });
  if (!put.data) throw failure(put.response, put.error);
  const patch = await users.PATCH("/api/v1/users/{id}", {
    params: { path: { id }, header: { "If-Match": '"2"' } },
    headers: { "Content-Type": "application/merge-patch+json" },
    body: { status: "active", phone: null },
  });
  if (!patch.data) {
    if (patch.error?.error.code === "PRECONDITION_FAILED") return; // someone else changed it meanwhile
    throw failure(patch.response, patch.error);
  }
  const del = await users.DELETE("/api/v1/users/{id}", { params: { path: { id }, header: { "If-Match": '"3"' } } });
  if (!del.response.ok) throw failure(del.response, del.error); // 204: no body
}

// ------------------------------------------------------------------------------------------------ order-service

/** create with only user_id and items: currency defaults to USD, shipping_address and notes to none. */
export async function createOrder(userId: string): Promise<Order> {
  const { data, error, response } = await orders.POST("/api/v1/orders", {
    body: { user_id: userId, items: [{ sku: "BK-1", name: "Book", quantity: 2, unit_price: 12.5 }] },
  });
  if (!data) throw failure(response, error);
  return data.data;
}

/** create as the README's curl: every field, with an Idempotency-Key; a replay says so in a header. */
export async function createOrderOnce(userId: string): Promise<{ order: Order; replayed: boolean }> {
  const { data, error, response } = await orders.POST("/api/v1/orders", {
    params: { header: { "Idempotency-Key": "3f1c8a52-order-1" } },
    body: {
      user_id: userId,
      items: [{ sku: "BK-1", name: "Book", quantity: 2, unit_price: 12.5 }],
      currency: "EUR",
      shipping_address: "1 Main St, Springfield",
      notes: "gift wrap",
    },
  });
  if (!data) throw failure(response, error);
  return { order: data.data, replayed: response.headers.get("Idempotent-Replayed") === "true" };
}

/** the error envelope of an order for a user that is not usable: decide on error.code. */
export async function orderForUnknownUser(userId: string): Promise<string> {
  const { data, error } = await orders.POST("/api/v1/orders", {
    body: { user_id: userId, items: [{ sku: "BK-1", name: "Book", quantity: 1, unit_price: 0.1 }] },
  });
  if (data) return `created ${data.data.id}`;
  switch (error.error.code) {
    case "USER_NOT_FOUND":
    case "USER_NOT_ACTIVE":
      return `refused: ${error.error.message}`;
    case "USER_SERVICE_UNAVAILABLE":
      return "try again later";
    case "VALIDATION_ERROR":
      return (error.error.details ?? []).map((d) => `${d.field}: ${d.message}`).join("; ");
    default:
      return error.error.code;
  }
}

/** list with filters (no page or page_size: they have defaults), and the orders of one user. */
export async function listOrders(userId: string): Promise<Order[]> {
  const { data, error, response } = await orders.GET("/api/v1/orders", {
    params: {
      query: { user_id: userId, status: "pending", created_from: "2026-01-01T00:00:00Z", created_to: "2027-01-01T00:00:00Z" },
    },
  });
  if (!data) throw failure(response, error);
  const own = await orders.GET("/api/v1/users/{id}/orders", { params: { path: { id: userId } } });
  if (!own.data) throw failure(own.response, own.error);
  const total: number = data.meta.total_count + own.data.meta.total_count;
  return total > 0 ? [...data.data, ...own.data.data] : [];
}

/** replace (currency left out: USD again), status change, soft delete. */
export async function changeOrder(id: string, userId: string): Promise<void> {
  const put = await orders.PUT("/api/v1/orders/{id}", {
    params: { path: { id }, header: { "If-Match": '"1"' } },
    body: { user_id: userId, items: [{ sku: "BK-1", name: "Book", quantity: 3, unit_price: 12.5 }] },
  });
  if (!put.data) throw failure(put.response, put.error);
  const status = await orders.PATCH("/api/v1/orders/{id}/status", {
    params: { path: { id }, header: { "If-Match": '"2"' } },
    body: { status: "confirmed" },
  });
  if (!status.data) {
    if (status.error?.error.code === "INVALID_STATE_TRANSITION") return;
    throw failure(status.response, status.error);
  }
  const del = await orders.DELETE("/api/v1/orders/{id}", { params: { path: { id } } });
  if (!del.response.ok) throw failure(del.response, del.error); // 204: no body
}

// ------------------------------------------------------------------------------------------------ audit-log-service

/**
 * one entry, as the README's curl; a re-sent event_id answers the stored entry (Idempotent-Replayed: true). The body
 * is declared with its schema's type first: openapi-fetch infers `body` generically, so a field the schema lacks is
 * reported only on a declared type (a missing required field is reported either way).
 */
export async function postAuditEntry(): Promise<AuditEntry> {
  const entry: AuditApi["schemas"]["NewAuditEntry"] = {
    event_id: "0b9f3f1e-7c1a-4f7e-9a51-3c2f0d6b9e10",
    occurred_at: "2026-11-24T10:00:00Z",
    service: "user-service",
    actor: "admin-7",
    action: "update",
    entity_type: "user",
    entity_id: "42",
    request_id: "req-1",
    details: { before: { status: "active" }, after: { status: "suspended" } },
  };
  const { data, error, response } = await audit.POST("/api/v1/audit-logs", { body: entry });
  if (!data) throw failure(response, error);
  return data.data;
}

/** a batch of entries with only the required fields; meta counts what was new. */
export async function postAuditBatch(): Promise<number> {
  const { data, error, response } = await audit.POST("/api/v1/audit-logs/batch", {
    body: {
      entries: [
        {
          event_id: "3b2a8a9e-3c9f-4d7e-8f7a-1f0c2b3d4e5f", occurred_at: "2026-11-24T10:00:01Z",
          service: "order-service", actor: "admin-7", action: "status_change", entity_type: "order", entity_id: "7",
        },
      ],
    },
  });
  if (!data) throw failure(response, error);
  return data.meta.created;
}

/** search (no limit: it has a default), keyset paging, numbered pages; export without a format; verify. */
export async function searchAudit(id: string): Promise<boolean> {
  const one = await audit.GET("/api/v1/audit-logs/{id}", { params: { path: { id } } });
  if (!one.data) throw failure(one.response, one.error);
  const byRequest = await audit.GET("/api/v1/audit-logs", { params: { query: { request_id: "req-1" } } });
  if (!byRequest.data) throw failure(byRequest.response, byRequest.error);
  const keyset = await audit.GET("/api/v1/audit-logs", {
    params: { query: { service: "order-service", action: "status_change", from: "2026-11-01T00:00:00Z", limit: 100 } },
  });
  if (!keyset.data) throw failure(keyset.response, keyset.error);
  const next = "next_cursor" in keyset.data.meta ? keyset.data.meta.next_cursor : undefined;
  if (next !== undefined) {
    const more = await audit.GET("/api/v1/audit-logs", { params: { query: { limit: 100, cursor: next } } });
    if (!more.data) throw failure(more.response, more.error);
  }
  const pages = await audit.GET("/api/v1/audit-logs", {
    params: { query: { entity_type: "user", entity_id: "42", page: 2, page_size: 20 } },
  });
  if (!pages.data) throw failure(pages.response, pages.error);
  const ndjson = await audit.GET("/api/v1/audit-logs/export", {
    params: { query: { service: "user-service" } },
    parseAs: "text",
  });
  if (!ndjson.data) throw failure(ndjson.response, ndjson.error);
  const lines: number = ndjson.data.split("\n").length;
  const verify = await audit.GET("/api/v1/audit-logs/verify");
  if (!verify.data) throw failure(verify.response, verify.error);
  return lines >= 0 && verify.data.data.intact && verify.data.data.first_broken_seq === undefined;
}

/** An auditor's round: fetch a signed checkpoint and the public keys, later hand the checkpoint back to verify. */
export async function keepAndVerifyCheckpoint(): Promise<boolean> {
  const checkpoint = await audit.GET("/api/v1/audit-logs/checkpoint");
  if (!checkpoint.data) throw failure(checkpoint.response, checkpoint.error);
  const kept: AuditApi["schemas"]["Checkpoint"] = checkpoint.data.data;
  const keys = await audit.GET("/api/v1/audit-logs/checkpoint-keys");
  if (!keys.data) throw failure(keys.response, keys.error);
  const known: boolean = keys.data.keys.some((key) => key.kid === kept.key_id);
  const verify = await audit.POST("/api/v1/audit-logs/verify", { body: { checkpoints: [kept] } });
  if (!verify.data) throw failure(verify.response, verify.error);
  const statuses = (verify.data.data.checkpoints ?? []).map((c) => c.status);
  return known && verify.data.data.intact && statuses.every((status) => status === "contained");
}
