// Validates the EMS Kubernetes manifests (k8s/): renders them with `kubectl kustomize`, validates every object
// against the Kubernetes schemas (kubernetes-models), rejects unknown or misspelled fields, runs the project's own
// checks, and then proves that each check fails on a deliberately broken copy of k8s/.
// Run through checks/k8s/run. Prints one line per test and last `N passed, M failed`; exits 1 if anything failed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const K8S = process.argv[2] ? path.resolve(process.argv[2]) : path.join(ROOT, "k8s"); // default: the repository's k8s/
const MODELS = path.join(HERE, "node_modules", "kubernetes-models");
const APIMACHINERY = path.join(HERE, "node_modules", "@kubernetes-models", "apimachinery");

// The three services: Deployment name = Maven module = config prefix with dots.
const SERVICES = ["user-service", "order-service", "audit-log-service"];
const PROBES = { startupProbe: "/health/started", livenessProbe: "/health/live", readinessProbe: "/health/ready" };
const ALLOWED_PROBE_PATHS = new Set(Object.values(PROBES));
// OpenTelemetry's own variables, which its SDK reads (README, "Tracing"), are the services' settings too
const ALWAYS_ALLOWED_ENV = new Set([
  "HELIDON_CONFIG_PROFILE", "JAVA_TOOL_OPTIONS",
  "OTEL_SERVICE_NAME", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_ZIPKIN_ENDPOINT",
  "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_PROPAGATORS",
]);

// ---------------------------------------------------------------------------------------------- rendering

function render(dir) {
  let out;
  try {
    out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`kubectl kustomize ${dir} failed: ${(e.stderr || e.message).toString().trim()}`);
  }
  const objects = YAML.parseAllDocuments(out).map((d) => {
    if (d.errors.length) throw new Error(`rendered YAML does not parse: ${d.errors[0].message}`);
    return d.toJS();
  }).filter((o) => o != null);
  if (objects.length === 0) throw new Error("kubectl kustomize rendered no objects");
  return objects;
}

const id = (o) => `${o?.kind}/${o?.metadata?.name}`;

// ---------------------------------------------------------------------------------------------- schema

async function modelFor(o) {
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") return null;
  const file = path.join(MODELS, o.apiVersion, `${o.kind}.js`);
  if (!fs.existsSync(file)) return null;
  const mod = await import(`kubernetes-models/${o.apiVersion}/${o.kind}`);
  return mod[o.kind] ?? null;
}

async function checkSchema(objects) {
  const errors = [];
  for (const o of objects) {
    const Model = await modelFor(o);
    if (!Model) {
      errors.push(`${id(o)}: unknown apiVersion/kind ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      errors.push(`${id(o)}: ${e.message}`);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------- unknown fields
// kubernetes-models' validators do not reject unknown properties, so the allowed property names of every type are
// taken from the package's own type declarations (.d.ts, generated from the same OpenAPI schema) and every object
// is walked against them.

const typeCache = new Map();

function resolveImport(fromFile, spec) {
  let p;
  if (spec.startsWith(".")) p = path.resolve(path.dirname(fromFile), spec);
  else if (spec.startsWith("@kubernetes-models/apimachinery/")) p = path.join(APIMACHINERY, spec.slice(32));
  else if (spec.startsWith("kubernetes-models/")) p = path.join(MODELS, spec.slice(18));
  else return null;
  p = p.replace(/\.js$/, "");
  return `${p}.d.ts`;
}

/** Parses a type expression of a .d.ts property into {kind: leaf|array|map|ref}. */
function parseType(text, imports, file) {
  const t = text.trim();
  let m;
  if ((m = /^Array<(.*)>$/s.exec(t))) return { kind: "array", of: parseType(m[1], imports, file) };
  if ((m = /^\{\s*\[key: string\]:\s*(.*?);?\s*\}$/s.exec(t))) return { kind: "map", of: parseType(m[1], imports, file) };
  if ((m = /^\{([\s\S]*)\}$/.exec(t))) return { kind: "inline", props: parseMembers(m[1], imports, file) }; // Array<{ "a"?: T; ... }>
  if (/^[A-Za-z0-9_]+$/.test(t) && imports.has(t)) return { kind: "ref", file: resolveImport(file, imports.get(t)) };
  return { kind: "leaf" };
}

/** The properties of the first interface declared in a .d.ts file, or null for a type alias (a leaf). */
function loadType(file) {
  if (typeCache.has(file)) return typeCache.get(file);
  if (!file || !fs.existsSync(file)) throw new Error(`no type declaration ${file}`);
  const src = fs.readFileSync(file, "utf8").replace(/\/\*\*[\s\S]*?\*\//g, "");
  const imports = new Map();
  for (const m of src.matchAll(/import \{([^}]*)\} from "([^"]+)"/g)) {
    for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) imports.set(name, m[2]);
  }
  const start = /export interface I\w+(?: extends ([\w, ]+))? \{/.exec(src);
  if (!start) {
    typeCache.set(file, null);
    return null;
  }
  const props = new Map();
  if (start[1] && /TypeMeta/.test(start[1])) {
    props.set("apiVersion", { kind: "leaf" });
    props.set("kind", { kind: "leaf" });
  }
  // the body up to the interface's closing brace
  let depth = 1;
  let i = start.index + start[0].length, body = "";
  for (; i < src.length && depth > 0; i++) {
    const c = src[i];
    if (c === "{") depth++;
    if (c === "}") depth--;
    if (depth > 0) body += c;
  }
  for (const [k, v] of parseMembers(body, imports, file)) props.set(k, v);
  typeCache.set(file, props);
  return props;
}

/** The members of an interface or object type body: `"name"?: Type;` at brace/angle depth 0. */
function parseMembers(body, imports, file) {
  const props = new Map();
  let depth = 0, cur = "";
  const members = [];
  for (const c of body) {
    if (c === "{" || c === "<") depth++;
    if (c === "}" || c === ">") depth--;
    if (c === ";" && depth === 0) {
      members.push(cur);
      cur = "";
    } else cur += c;
  }
  for (const mem of members) {
    const m = /^\s*"([^"]+)"\??:\s*([\s\S]*)$/.exec(mem);
    if (m) props.set(m[1], parseType(m[2], imports, file));
  }
  return props;
}

function walk(value, type, where, errors) {
  if (value == null || type.kind === "leaf") return;
  if (type.kind === "array") {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, type.of, `${where}[${i}]`, errors));
    return;
  }
  if (type.kind === "map") {
    if (typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, type.of, `${where}.${k}`, errors);
    }
    return;
  }
  const props = type.kind === "inline" ? type.props : loadType(type.file);
  if (!props || typeof value !== "object" || Array.isArray(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (!props.has(k)) {
      const near = [...props.keys()].filter((p) => p.toLowerCase() === k.toLowerCase() || distance(p, k) <= 2);
      errors.push(`${where}.${k}: unknown field${near.length ? ` (did you mean ${near.join(", ")}?)` : ""}`);
    } else walk(v, props.get(k), `${where}.${k}`, errors);
  }
}

function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function checkUnknownFields(objects) {
  const errors = [];
  for (const o of objects) {
    const file = path.join(MODELS, String(o.apiVersion), `${o.kind}.d.ts`);
    if (!fs.existsSync(file)) {
      errors.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    walk(o, { kind: "ref", file }, id(o), errors);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------- service config

const configCache = new Map();

/**
 * The settings a service reads, as a map of flattened leaf keys (user.service.db.host -> "localhost"): its
 * application.yaml, the keys only application-local.yaml gives a value (the secrets, which have no default
 * elsewhere), the settings whose default the service derives (WITHOUT_DEFAULT), and the token issuer's (AUTH_KEYS).
 */
function serviceConfig(service, root) {
  const dir = path.join(root, service, "src/main/resources");
  if (configCache.has(dir)) return configCache.get(dir);
  const flat = new Map();
  const visit = (node, prefix) => {
    if (node && typeof node === "object" && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) visit(v, prefix ? `${prefix}.${k}` : k);
    } else if (!flat.has(prefix)) flat.set(prefix, node);
  };
  visit(YAML.parse(fs.readFileSync(path.join(dir, "application.yaml"), "utf8")), "");
  visit(YAML.parse(fs.readFileSync(path.join(dir, "application-local.yaml"), "utf8")), "");
  for (const key of WITHOUT_DEFAULT) flat.set(`${prefixOf(service)}.${key}`, undefined);
  for (const key of AUTH_KEYS) {
    if (!flat.has(`ems.auth.${key}`)) flat.set(`ems.auth.${key}`, undefined);
    flat.set(`${prefixOf(service)}.auth.${key}`, undefined);
  }
  configCache.set(dir, flat);
  return flat;
}

/**
 * One of a service's YAML files, flattened: application.yaml (profile ""), the defaults outside the local profile,
 * or application-local.yaml ("local"), whose values the service refuses elsewhere.
 */
function serviceYaml(service, root, profile = "") {
  const flat = new Map();
  const visit = (node, prefix) => {
    if (node && typeof node === "object" && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) visit(v, prefix ? `${prefix}.${k}` : k);
    } else flat.set(prefix, node);
  };
  const file = `application${profile ? `-${profile}` : ""}.yaml`;
  visit(YAML.parse(fs.readFileSync(path.join(root, service, "src/main/resources", file), "utf8")), "");
  return flat;
}

/** Settings a service reads whose default it derives, so that no YAML file holds them: the burst is twice the limit, a client's share of the concurrency half the total. */
const WITHOUT_DEFAULT = ["rate.burst", "max-concurrent-requests-per-client", "observe.max-concurrent-requests-per-client"];
/**
 * What dev.ems.core.auth.AuthSettings reads: ems.auth.<key> (EMS_AUTH_ISSUER...), outside the service's own prefix
 * and the same in every service, each overridable under <service>.auth.<key> (USER_SERVICE_AUTH_AUDIENCE...). Only
 * roles.claim has a default in application.yaml; without the others a service does not start.
 */
const AUTH_KEYS = ["issuer", "audience", "jwks.uri", "roles.claim", "token.uri"];

/** Helidon's environment variable mapping: "_dash_" is "-", "_" is ".", case-insensitive. */
const envToKey = (name) => name.toLowerCase().replace(/_dash_/g, "-").replace(/_/g, ".");
const prefixOf = (service) => service.replace(/-/g, ".");
const envPrefixOf = (service) => service.toUpperCase().replace(/-/g, "_");

/** Seconds of a duration as the services accept it: ISO-8601 (PT2S), Go form (500ms, 30s, 1m, 1h) or seconds. */
function seconds(v) {
  const s = String(v).trim();
  let m;
  if ((m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(s)) && s.length > 2)
    return (+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + (+(m[3] || 0));
  if ((m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s))) return +m[1] * { ms: 0.001, s: 1, m: 60, h: 3600, undefined: 1 }[m[2]];
  throw new Error(`cannot read duration "${v}"`);
}

const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

/** Every environment variable a container gets, with where it comes from: [{name, value?, from}]. */
function containerEnv(objects, container, errors, where) {
  const env = [];
  for (const ef of container.envFrom ?? []) {
    const ref = ef.configMapRef ?? ef.secretRef;
    const kind = ef.configMapRef ? "ConfigMap" : "Secret";
    const src = ref && find(objects, kind, ref.name);
    if (!src) {
      errors.push(`${where}: envFrom ${kind} "${ref?.name}" does not exist`);
      continue;
    }
    const data = { ...(src.data ?? {}), ...(src.stringData ?? {}) };
    for (const [k, v] of Object.entries(data)) env.push({ name: (ef.prefix ?? "") + k, value: v, from: id(src) });
  }
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
    if (ref) {
      const kind = e.valueFrom.configMapKeyRef ? "ConfigMap" : "Secret";
      const src = find(objects, kind, ref.name);
      const data = src ? { ...(src.data ?? {}), ...(src.stringData ?? {}) } : {};
      if (!src || !(ref.key in data)) errors.push(`${where}: env ${e.name} refers to missing ${kind} ${ref.name}/${ref.key}`);
      env.push({ name: e.name, value: data[ref.key], from: `${kind}/${ref.name}` });
    } else env.push({ name: e.name, value: e.value, from: "env" });
  }
  return env;
}

function serviceDeployments(objects, errors) {
  const result = [];
  for (const service of SERVICES) {
    const d = find(objects, "Deployment", service);
    if (!d) {
      errors.push(`Deployment ${service} is missing`);
      continue;
    }
    const c = (d.spec?.template?.spec?.containers ?? []).find((x) => x.name === service) ?? d.spec?.template?.spec?.containers?.[0];
    if (!c) {
      errors.push(`${id(d)}: no container`);
      continue;
    }
    result.push({ service, d, c });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------- project checks

function checkProbes(objects, root) {
  const errors = [];
  for (const { service, d, c } of serviceDeployments(objects, errors)) {
    const where = id(d);
    const configured = serviceConfig(service, root).get(`${prefixOf(service)}.port`);
    if (configured == null) errors.push(`${where}: ${service}'s application.yaml has no ${prefixOf(service)}.port`);
    const env = containerEnv(objects, c, [], where);
    const override = env.find((e) => e.name === `${envPrefixOf(service)}_PORT`);
    const port = override ? Number(override.value) : Number(configured);
    if (override && Number(override.value) !== Number(configured))
      errors.push(`${where}: ${override.name}=${override.value} differs from application.yaml's ${configured}`);
    const ports = c.ports ?? [];
    if (ports.length !== 1 || ports[0].containerPort !== port)
      errors.push(`${where}: containerPort ${ports.map((p) => p.containerPort).join(",") || "(none)"} != service port ${port}`);
    const resolve = (p) => (typeof p === "string" ? ports.find((x) => x.name === p)?.containerPort ?? p : p);
    for (const [probe, expected] of Object.entries(PROBES)) {
      const pr = c[probe];
      if (!pr) {
        errors.push(`${where}: ${probe} is missing`);
        continue;
      }
      const get = pr.httpGet;
      if (!get) {
        errors.push(`${where}: ${probe} is not an httpGet probe`);
        continue;
      }
      if (!ALLOWED_PROBE_PATHS.has(get.path)) errors.push(`${where}: ${probe} path ${get.path} is not served (only ${[...ALLOWED_PROBE_PATHS].join(", ")})`);
      else if (get.path !== expected) errors.push(`${where}: ${probe} should use ${expected}, not ${get.path}`);
      if (resolve(get.port) !== port) errors.push(`${where}: ${probe} port ${get.port} != service port ${port}`);
    }
    const svc = find(objects, "Service", service);
    if (!svc) errors.push(`Service ${service} is missing`);
    else {
      for (const sp of svc.spec?.ports ?? []) {
        if (resolve(sp.targetPort ?? sp.port) !== port) errors.push(`${id(svc)}: targetPort ${sp.targetPort} != service port ${port}`);
      }
      const sel = svc.spec?.selector ?? {};
      const labels = d.spec?.template?.metadata?.labels ?? {};
      if (!Object.keys(sel).length || !Object.entries(sel).every(([k, v]) => labels[k] === v))
        errors.push(`${id(svc)}: selector does not select ${where}'s pods`);
    }
  }
  return errors;
}

function checkEnv(objects, root) {
  const errors = [];
  for (const { service, d, c } of serviceDeployments(objects, errors)) {
    const config = serviceConfig(service, root);
    for (const e of containerEnv(objects, c, errors, id(d))) {
      if (ALWAYS_ALLOWED_ENV.has(e.name)) continue;
      const key = envToKey(e.name);
      if (!config.has(key)) errors.push(`${id(d)}: ${e.name} (from ${e.from}) maps to ${key}, which ${service}'s application.yaml does not have`);
    }
  }
  return errors;
}

/** Secrets in git hold placeholders only: every password, key and client secret a CHANGE-ME value, which the services refuse. */
function checkSecrets(objects) {
  const errors = [];
  for (const o of objects.filter((x) => x.kind === "Secret")) {
    for (const [name, value] of Object.entries({ ...(o.stringData || {}), ...(o.data || {}) })) {
      if (/(PASSWORD|KEY|SECRET)$/.test(name) && !/^CHANGE-ME/.test(String(value))) {
        errors.push(`Secret/${o.metadata.name}: ${name} is not a CHANGE-ME placeholder (real secrets never go into git)`);
      }
    }
  }
  return errors;
}

/**
 * The issuer settings each service starts with (its own <SERVICE>_AUTH_<KEY>, else EMS_AUTH_<KEY>, else
 * application.yaml), per service: {key: {name, value, from}}.
 */
function authSettings(objects, service, c, root, where) {
  const env = containerEnv(objects, c, [], where);
  const result = {};
  for (const key of AUTH_KEYS) {
    const suffix = key.replace(/\./g, "_").toUpperCase();
    const own = env.filter((e) => e.name === `${envPrefixOf(service)}_AUTH_${suffix}`).pop();
    const shared = env.filter((e) => e.name === `EMS_AUTH_${suffix}`).pop();
    const dflt = serviceYaml(service, root).get(`ems.auth.${key}`);
    result[key] = own ?? shared ?? { name: `EMS_AUTH_${suffix}`, value: dflt, from: "application.yaml" };
  }
  return result;
}

/** Every service has an issuer (https, not the local one) and its client secret comes from a Secret. */
function checkAuth(objects, root) {
  const errors = [];
  for (const { service, d, c } of serviceDeployments(objects, errors)) {
    const where = id(d);
    const local = serviceYaml(service, root, "local");
    const settings = authSettings(objects, service, c, root, where);
    for (const [key, { name, value, from }] of Object.entries(settings)) {
      if (value == null || String(value).trim() === "") {
        errors.push(`${where}: ${name} is not set (the service does not start without it)`);
        continue;
      }
      if (["issuer", "jwks.uri", "token.uri"].includes(key)) {
        if (local.get(`ems.auth.${key}`) === value) errors.push(`${where}: ${name} (from ${from}) is the local profile's development issuer (application-local.yaml), for local runs only`);
        let url = null;
        try {
          url = new URL(String(value));
        } catch (e) {
          // reported below
        }
        // tokens and client secrets cross the network: TLS (the issuer's iss is compared, not fetched, but it is the
        // issuer's own https URL in every real set-up)
        if (!url || url.protocol !== "https:") errors.push(`${where}: ${name}=${value} (from ${from}) is not an https URL`);
      }
    }
    const clientId = serviceYaml(service, root).get(`${prefixOf(service)}.auth.client.id`);
    if (clientId === undefined) continue; // no client credentials (audit-log-service calls no one)
    const name = `${envPrefixOf(service)}_AUTH_CLIENT_SECRET`;
    const sources = containerEnv(objects, c, [], where).filter((e) => e.name === name);
    if (!sources.length) errors.push(`${where}: ${name} is not set (the service does not start without it)`);
    for (const e of sources) if (!e.from.startsWith("Secret/")) errors.push(`${where}: ${name} comes from ${e.from}, not from a Secret`);
  }
  return errors;
}

/**
 * Every service that pseudonymises personal data for the audit trail (ems.audit.pseudonymisation in its
 * application.yaml) gets EMS_AUDIT_PSEUDONYMISATION_KEY from a Secret, and all of them from the same Secret: one key
 * per deployment, so that an investigator confirms any value with it.
 */
function checkPseudonymisation(objects, root) {
  const errors = [];
  const name = "EMS_AUDIT_PSEUDONYMISATION_KEY";
  const secrets = new Set();
  let services = 0;
  for (const { service, d, c } of serviceDeployments(objects, errors)) {
    if (!serviceYaml(service, root).has("ems.audit.pseudonymisation.client")) continue;
    services++;
    const where = id(d);
    const sources = containerEnv(objects, c, [], where).filter((e) => e.name === name);
    if (!sources.length) errors.push(`${where}: ${name} is not set (the service does not start without it)`);
    for (const e of sources) {
      if (e.from.startsWith("Secret/")) secrets.add(e.from);
      else errors.push(`${where}: ${name} comes from ${e.from}, not from a Secret`);
    }
  }
  if (services === 0) errors.push("no service has ems.audit.pseudonymisation in its application.yaml");
  if (secrets.size > 1) errors.push(`${name} comes from ${[...secrets].join(" and ")}: one key per deployment, one Secret`);
  return errors;
}

function checkShutdown(objects, root) {
  const errors = [];
  for (const { service, d, c } of serviceDeployments(objects, errors)) {
    const where = id(d);
    const config = serviceConfig(service, root);
    const env = new Map(containerEnv(objects, c, [], where).map((e) => [e.name, e.value]));
    const drain = seconds(env.get(`${envPrefixOf(service)}_SHUTDOWN_DRAIN`) ?? config.get(`${prefixOf(service)}.shutdown.drain`) ?? "PT2S");
    const grace = seconds(env.get("SERVER_SHUTDOWN_dash_GRACE_dash_PERIOD") ?? config.get("server.shutdown-grace-period") ?? "PT10S");
    // Helidon maps these two with java.time.Duration.parse: "2s" throws in the shutdown hook (no drain, no stop)
    for (const [n, v] of [[`${envPrefixOf(service)}_SHUTDOWN_DRAIN`, env.get(`${envPrefixOf(service)}_SHUTDOWN_DRAIN`)],
                          ["SERVER_SHUTDOWN_dash_GRACE_dash_PERIOD", env.get("SERVER_SHUTDOWN_dash_GRACE_dash_PERIOD")]])
      if (v != null && !/^PT[\d.HMS]+$/i.test(String(v))) errors.push(`${where}: ${n}=${v} is not ISO-8601 (PT2S); the service fails to parse it at shutdown`);
    const pre = c.lifecycle?.preStop;
    let sleep = null;
    if (pre?.sleep?.seconds != null) sleep = Number(pre.sleep.seconds);
    else if (pre?.exec?.command) {
      const m = /(?:^|\s)sleep\s+(\d+(?:\.\d+)?)\s*$/.exec(pre.exec.command.join(" "));
      if (m) sleep = Number(m[1]);
    }
    if (sleep == null) errors.push(`${where}: no preStop sleep`);
    const tgp = d.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30;
    const need = (sleep ?? 0) + drain + grace;
    // strictly above: at exactly the sum, the kubelet's SIGKILL races the end of the grace period
    if (tgp <= need) errors.push(`${where}: terminationGracePeriodSeconds ${tgp} is not above preStop ${sleep} + drain ${drain} + grace ${grace} = ${need}`);
  }
  return errors;
}

function checkDeployments(objects) {
  const errors = [];
  for (const { service, d, c } of serviceDeployments(objects, errors)) {
    const w = id(d);
    const pod = d.spec?.template?.spec ?? {};
    const ann = d.spec?.template?.metadata?.annotations ?? {};
    const port = c.ports?.[0]?.containerPort;
    if (c.image !== `ems/${service}:latest`) errors.push(`${w}: image ${c.image}, expected ems/${service}:latest`);
    if (pod.enableServiceLinks !== false)
      errors.push(`${w}: enableServiceLinks must be false (Kubernetes would set ${envPrefixOf(service)}_PORT=tcp://..., which Helidon reads as the port)`);
    const psc = pod.securityContext ?? {}, sc = c.securityContext ?? {};
    if (psc.runAsNonRoot !== true && sc.runAsNonRoot !== true) errors.push(`${w}: runAsNonRoot is not true`);
    if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== "RuntimeDefault") errors.push(`${w}: seccompProfile is not RuntimeDefault`);
    if (sc.readOnlyRootFilesystem !== true) errors.push(`${w}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) errors.push(`${w}: allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) errors.push(`${w}: capabilities do not drop ALL`);
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
    const vol = tmp && (pod.volumes ?? []).find((v) => v.name === tmp.name);
    if (!vol?.emptyDir || tmp.readOnly) errors.push(`${w}: no writable emptyDir on /tmp`);
    for (const r of ["requests", "limits"])
      for (const k of ["cpu", "memory"]) if (c.resources?.[r]?.[k] == null) errors.push(`${w}: resources.${r}.${k} is missing`);
    if (ann["prometheus.io/scrape"] !== "true" || ann["prometheus.io/path"] !== "/metrics" || String(ann["prometheus.io/port"]) !== String(port))
      errors.push(`${w}: Prometheus annotations must be scrape "true", port "${port}", path /metrics`);
    const env = new Map(containerEnv(objects, c, [], w).map((e) => [e.name, e.value]));
    if (!/-XX:MaxRAMPercentage=\d/.test(env.get("JAVA_TOOL_OPTIONS") ?? "")) errors.push(`${w}: JAVA_TOOL_OPTIONS without -XX:MaxRAMPercentage`);
    if ((env.get("HELIDON_CONFIG_PROFILE") ?? "") === "local") errors.push(`${w}: HELIDON_CONFIG_PROFILE=local starts an embedded database`);
    const hpa = byKind(objects, "HorizontalPodAutoscaler").find((h) => h.spec?.scaleTargetRef?.kind === "Deployment" && h.spec.scaleTargetRef.name === service);
    if (!hpa || hpa.apiVersion !== "autoscaling/v2" || !(hpa.spec.metrics ?? []).some((m) => m.resource?.name === "cpu"))
      errors.push(`${w}: no autoscaling/v2 CPU HorizontalPodAutoscaler`);
    if (c.resources?.requests?.cpu == null) errors.push(`${w}: an HPA on CPU needs resources.requests.cpu`);
    const labels = d.spec?.template?.metadata?.labels ?? {};
    const pdb = byKind(objects, "PodDisruptionBudget").find((p) =>
      Object.entries(p.spec?.selector?.matchLabels ?? { x: null }).every(([k, v]) => labels[k] === v));
    if (!pdb) errors.push(`${w}: no PodDisruptionBudget selects its pods`);
    // two replicas at least (what bench/scale proves: a rolling restart or a lost pod without failed requests), a
    // rolling update that never goes below them, and a budget that keeps one pod yet lets a node drain
    const replicas = d.spec?.replicas ?? 1;
    if (replicas < 2) errors.push(`${w}: replicas ${replicas} < 2`);
    if (hpa && (hpa.spec.minReplicas ?? 1) < 2) errors.push(`${w}: HorizontalPodAutoscaler minReplicas ${hpa.spec.minReplicas ?? 1} < 2`);
    const ru = d.spec?.strategy?.rollingUpdate ?? {};
    if (d.spec?.strategy?.type === "Recreate" || String(ru.maxUnavailable ?? "25%") !== "0")
      errors.push(`${w}: the rolling update must keep every ready pod until its replacement is ready (maxUnavailable: 0)`);
    if (pdb) {
      const minAvailable = pdb.spec?.minAvailable, maxUnavailable = pdb.spec?.maxUnavailable;
      if (minAvailable != null && !(Number(minAvailable) >= 1 && Number(minAvailable) < replicas))
        errors.push(`${w}: PodDisruptionBudget minAvailable ${minAvailable} must be at least 1 and below replicas ${replicas} (else no node drains)`);
      if (minAvailable == null && !(Number(maxUnavailable) >= 1))
        errors.push(`${w}: PodDisruptionBudget needs minAvailable >= 1 or maxUnavailable >= 1`);
    }
  }
  return errors;
}

function podLabelSets(objects) {
  return objects.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind)).map((o) => o.spec?.template?.metadata?.labels ?? {});
}
const selects = (matchLabels, labels) => Object.entries(matchLabels ?? {}).every(([k, v]) => labels[k] === v);

function checkDatabasesAndReferences(objects, root) {
  const errors = [];
  const pods = podLabelSets(objects);
  // every pod selector of a NetworkPolicy (own namespace) and every Service selector matches some pod
  for (const np of byKind(objects, "NetworkPolicy")) {
    const sels = [np.spec?.podSelector];
    for (const r of [...(np.spec?.ingress ?? []).flatMap((x) => x.from ?? []), ...(np.spec?.egress ?? []).flatMap((x) => x.to ?? [])])
      if (r.podSelector && !r.namespaceSelector) sels.push(r.podSelector);
    for (const s of sels) {
      if (s?.matchLabels && Object.keys(s.matchLabels).length && !pods.some((l) => selects(s.matchLabels, l)))
        errors.push(`${id(np)}: podSelector ${JSON.stringify(s.matchLabels)} matches no pod`);
    }
  }
  for (const svc of byKind(objects, "Service")) {
    if (!pods.some((l) => selects(svc.spec?.selector, l))) errors.push(`${id(svc)}: selector matches no pod`);
  }
  // the in-cluster databases: PostgreSQL 17, headless Service, pg_isready, volumeClaimTemplates, matching names
  for (const ss of byKind(objects, "StatefulSet")) {
    const w = id(ss);
    const c = ss.spec?.template?.spec?.containers?.[0] ?? {};
    if (!/^postgres:17(\b|$)/.test(c.image ?? "")) errors.push(`${w}: image ${c.image} is not postgres:17`);
    const hs = find(objects, "Service", ss.spec?.serviceName);
    if (!hs || hs.spec?.clusterIP !== "None") errors.push(`${w}: serviceName ${ss.spec?.serviceName} is not a headless Service`);
    if (!(c.readinessProbe?.exec?.command ?? []).join(" ").includes("pg_isready")) errors.push(`${w}: readiness is not pg_isready`);
    if (!(ss.spec?.volumeClaimTemplates ?? []).length) errors.push(`${w}: no volumeClaimTemplates`);
    const env = containerEnv(objects, c, errors, w);
    const user = SERVICES.find((s) => containerEnv(objects, find(objects, "Deployment", s)?.spec?.template?.spec?.containers?.[0] ?? {}, [], s)
      .some((e) => e.name === `${envPrefixOf(s)}_DB_HOST` && e.value === ss.metadata.name));
    if (!user) {
      errors.push(`${w}: no service has ${ss.metadata.name} as its *_DB_HOST`);
      continue;
    }
    const denv = containerEnv(objects, find(objects, "Deployment", user).spec.template.spec.containers[0], [], user);
    const get = (list, n) => list.find((e) => e.name === n)?.value;
    const dbName = get(denv, `${envPrefixOf(user)}_DB_NAME`) ?? serviceConfig(user, root).get(`${prefixOf(user)}.db.name`);
    if (get(env, "POSTGRES_DB") !== dbName) errors.push(`${w}: POSTGRES_DB ${get(env, "POSTGRES_DB")} != ${user}'s database ${dbName}`);
  }
  return errors;
}

/**
 * Least privilege in the databases (README.md, "Database roles"): each service runs as its own role with
 * <SERVICE>_DB_MIGRATION_ENABLED=false and without the owner's password; an init container of the same image runs
 * dev.ems.core.server.Migrate as the owner (from a Secret); the service's PostgreSQL creates exactly these two roles
 * (the owner's and the service role's names and passwords are the services') with the script of
 * compose/postgres-roles.sh, and its superuser is neither.
 */
function checkRoles(objects, root) {
  const errors = [];
  const script = fs.readFileSync(path.join(root, "compose/postgres-roles.sh"), "utf8");
  for (const { service, d, c } of serviceDeployments(objects, errors)) {
    const w = id(d), P = envPrefixOf(service);
    const env = containerEnv(objects, c, [], w);
    const value = (list, n) => list.find((e) => e.name === n)?.value;
    if (String(value(env, `${P}_DB_MIGRATION_ENABLED`)) !== "false") errors.push(`${w}: ${P}_DB_MIGRATION_ENABLED is not "false" (the service would migrate, needing the owner's password)`);
    for (const e of env.filter((x) => x.name === `${P}_DB_MIGRATION_PASSWORD`)) errors.push(`${w}: the running service gets the owner's password ${e.name} (from ${e.from})`);
    const init = (d.spec?.template?.spec?.initContainers ?? []).find((x) => (x.command ?? []).join(" ").includes("dev.ems.core.server.Migrate"));
    if (!init) {
      errors.push(`${w}: no init container runs dev.ems.core.server.Migrate (the migrations, as the owner)`);
      continue;
    }
    const iw = `${w} init container ${init.name}`;
    if (init.image !== c.image) errors.push(`${iw}: image ${init.image} is not the service's ${c.image}`);
    if ((init.command ?? []).at(-1) !== service) errors.push(`${iw}: Migrate is not given the service name ${service}`);
    const ienv = containerEnv(objects, init, errors, iw);
    const config = serviceConfig(service, root);
    for (const e of ienv) if (!ALWAYS_ALLOWED_ENV.has(e.name) && !config.has(envToKey(e.name))) errors.push(`${iw}: ${e.name} (from ${e.from}) is not a setting of ${service}`);
    for (const n of [`${P}_DB_MIGRATION_USER`, `${P}_DB_MIGRATION_PASSWORD`, `${P}_DB_USER`]) {
      const sources = ienv.filter((e) => e.name === n);
      if (!sources.length) errors.push(`${iw}: ${n} is not set`);
      for (const e of sources) if (n !== `${P}_DB_USER` && !e.from.startsWith("Secret/")) errors.push(`${iw}: ${n} comes from ${e.from}, not from a Secret`);
    }
    if (value(ienv, `${P}_DB_USER`) !== value(env, `${P}_DB_USER`)) errors.push(`${iw}: ${P}_DB_USER (the role the GRANTs name) is not the service's`);
    if (value(ienv, `${P}_DB_MIGRATION_USER`) === value(env, `${P}_DB_USER`)) errors.push(`${iw}: the owner is the service's own role`);
    const ss = byKind(objects, "StatefulSet").find((x) => x.metadata.name === value(env, `${P}_DB_HOST`));
    if (!ss) continue; // a managed database: its roles are the operator's (README.md)
    const sw = id(ss);
    const pg = ss.spec?.template?.spec?.containers?.[0] ?? {};
    const denv = containerEnv(objects, pg, errors, sw);
    const expect = { EMS_DB_SERVICE_ROLE: value(env, `${P}_DB_USER`), EMS_DB_SERVICE_PASSWORD: value(env, `${P}_DB_PASSWORD`),
                     EMS_DB_OWNER: value(ienv, `${P}_DB_MIGRATION_USER`), EMS_DB_OWNER_PASSWORD: value(ienv, `${P}_DB_MIGRATION_PASSWORD`) };
    for (const [n, v] of Object.entries(expect)) if (v === undefined || value(denv, n) !== v) errors.push(`${sw}: ${n} is not ${service}'s`);
    const superuser = value(denv, "POSTGRES_USER");
    if ([expect.EMS_DB_SERVICE_ROLE, expect.EMS_DB_OWNER].includes(superuser)) errors.push(`${sw}: the superuser POSTGRES_USER ${superuser} is a role of ${service}`);
    const mount = (pg.volumeMounts ?? []).find((m) => m.mountPath === "/docker-entrypoint-initdb.d");
    const cm = mount && find(objects, "ConfigMap", (ss.spec?.template?.spec?.volumes ?? []).find((v) => v.name === mount.name)?.configMap?.name);
    const scripts = Object.values(cm?.data ?? {});
    if (scripts.length !== 1 || scripts[0] !== script) errors.push(`${sw}: /docker-entrypoint-initdb.d is not a ConfigMap holding compose/postgres-roles.sh alone`);
  }
  return errors;
}

/** The flows EMS needs are allowed on both ends, and nothing runs without the default deny. */
function checkNetworkPolicies(objects, root) {
  const errors = [];
  const nps = byKind(objects, "NetworkPolicy");
  const deny = nps.find((n) => !Object.keys(n.spec?.podSelector?.matchLabels ?? {}).length && !n.spec?.ingress && !n.spec?.egress
    && ["Ingress", "Egress"].every((t) => (n.spec?.policyTypes ?? []).includes(t)));
  if (!deny) errors.push("no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
  const name = (n) => ({ "app.kubernetes.io/name": n });
  const applies = (n, app) => selects(n.spec?.podSelector?.matchLabels, name(app));
  const portOk = (rule, port, proto = "TCP") => !rule.ports || rule.ports.some((p) => p.port === port && (p.protocol ?? "TCP") === proto);
  const peerIsApp = (peer, app) => peer.podSelector && !peer.namespaceSelector && selects(peer.podSelector.matchLabels, name(app));
  const allowed = (dir, app, pred, port, proto) => nps.some((n) => applies(n, app) && (n.spec?.[dir] ?? []).some((r) =>
    portOk(r, port, proto) && (r[dir === "ingress" ? "from" : "to"] ?? []).some(pred)));
  const flows = [["order-service", "user-service", 8081], ["user-service", "audit-log-service", 8083], ["order-service", "audit-log-service", 8083]];
  const dbs = byKind(objects, "StatefulSet").map((s) => s.metadata.name);
  for (const [svc, db] of [["user-service", "user-db"], ["order-service", "order-db"], ["audit-log-service", "audit-db"]])
    if (dbs.includes(db)) flows.push([svc, db, 5432]);
  for (const [src, dst, port] of flows) {
    if (!allowed("egress", src, (p) => peerIsApp(p, dst), port)) errors.push(`egress ${src} -> ${dst}:${port} is not allowed`);
    if (!allowed("ingress", dst, (p) => peerIsApp(p, src), port)) errors.push(`ingress ${src} -> ${dst}:${port} is not allowed`);
  }
  const ns = (p, n) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === n && !p.podSelector;
  for (const svc of SERVICES) {
    const port = find(objects, "Deployment", svc)?.spec?.template?.spec?.containers?.[0]?.ports?.[0]?.containerPort;
    if (!allowed("ingress", svc, (p) => ns(p, "monitoring"), port)) errors.push(`ingress monitoring -> ${svc}:${port} (Prometheus) is not allowed`);
    if (!allowed("ingress", svc, (p) => p.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "prometheus", port))
      errors.push(`ingress Prometheus pods -> ${svc}:${port} is not allowed`);
    if (!allowed("ingress", svc, (p) => p.namespaceSelector?.matchLabels && !p.podSelector && !ns(p, "monitoring"), port))
      errors.push(`ingress from the ingress controller namespace -> ${svc}:${port} is not allowed`);
    for (const proto of ["UDP", "TCP"])
      if (!allowed("egress", svc, (p) => ns(p, "kube-system"), 53, proto)) errors.push(`egress ${svc} -> kube-system DNS ${proto}/53 is not allowed`);
    // the issuer's endpoints the service calls (its keys, its token endpoint), outside the cluster: an ipBlock
    // (NetworkPolicies match addresses, so no check can tell which; an issuer inside the cluster, a *.svc name,
    // needs a pod or namespace peer instead and is left to the reader)
    const d = find(objects, "Deployment", svc);
    const c = d?.spec?.template?.spec?.containers?.[0];
    if (!c) continue;
    const settings = authSettings(objects, svc, c, root, id(d));
    for (const key of ["jwks.uri", "token.uri"]) {
      let url;
      try {
        url = new URL(String(settings[key].value));
      } catch (e) {
        continue; // check "auth" reports it
      }
      if (!url.hostname.includes(".") || /\.svc(\.|$)/.test(url.hostname)) continue;
      const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
      if (!allowed("egress", svc, (p) => p.ipBlock?.cidr, port))
        errors.push(`egress ${svc} -> the issuer ${url.hostname}:${port} (${settings[key].name}) is not allowed`);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------- test runner

const CHECKS = {
  schema: { title: "every object validates against its Kubernetes schema (kubernetes-models)", run: (o) => checkSchema(o) },
  fields: { title: "no unknown or misspelled fields", run: (o) => checkUnknownFields(o) },
  probes: { title: "probe paths served; probe port = containerPort = application.yaml port = Service targetPort", run: (o, r) => checkProbes(o, r) },
  env: { title: "every env var from a ConfigMap/Secret maps to a setting of the service (application*.yaml)", run: (o, r) => checkEnv(o, r) },
  secrets: { title: "Secrets hold CHANGE-ME placeholders only (the services refuse them: checks/artifacts)", run: (o) => checkSecrets(o) },
  shutdown: { title: "terminationGracePeriodSeconds >= preStop sleep + drain + grace period", run: (o, r) => checkShutdown(o, r) },
  deployment: { title: "Deployments: image, security context, /tmp, resources, scrape annotations, JAVA_TOOL_OPTIONS, HPA, PDB", run: (o) => checkDeployments(o) },
  references: { title: "selectors and references resolve; databases match their services", run: (o, r) => checkDatabasesAndReferences(o, r) },
  roles: { title: "database roles: the service as its own role, an init container migrating as the owner, the databases create both", run: (o, r) => checkRoles(o, r) },
  auth: { title: "every service has the issuer settings (https, not the local issuer) and its client secret from a Secret", run: (o, r) => checkAuth(o, r) },
  pseudonymisation: { title: "the services that pseudonymise audit data get EMS_AUDIT_PSEUDONYMISATION_KEY from one Secret", run: (o, r) => checkPseudonymisation(o, r) },
  network: { title: "NetworkPolicies: default deny plus exactly the needed flows, the issuer's HTTPS included", run: (o, r) => checkNetworkPolicies(o, r) },
};

let passed = 0, failed = 0;
const ok = (msg) => { passed++; console.log(`PASS  ${msg}`); };
const bad = (msg, details = []) => {
  failed++;
  console.log(`FAIL  ${msg}`);
  for (const d of details.slice(0, 20)) console.log(`        ${d}`);
};

async function runChecks(objects, root) {
  const results = {};
  for (const [name, c] of Object.entries(CHECKS)) {
    try {
      results[name] = await c.run(objects, root);
    } catch (e) {
      results[name] = [`check crashed: ${e.message}`];
    }
  }
  return results;
}

// Broken copies: each edits one file of a copy of k8s/ (and, for the env case, of the repository's config view)
// and names the check that must then fail.
function editDoc(file, kind, name, fn) {
  return (dir) => {
    const p = path.join(dir, file);
    const docs = YAML.parseAllDocuments(fs.readFileSync(p, "utf8"));
    const doc = docs.find((d) => d.get("kind") === kind && d.getIn(["metadata", "name"]) === name);
    if (!doc) throw new Error(`${file} has no ${kind}/${name}`);
    fn(doc);
    fs.writeFileSync(p, docs.map((d) => d.toString()).join("---\n"));
  };
}
const C = ["spec", "template", "spec", "containers", 0];
const BROKEN = [
  { check: "fields", what: "misspelled field readinesProbe", edit: editDoc("user-service.yaml", "Deployment", "user-service", (d) => {
      d.setIn([...C, "readinesProbe"], d.getIn([...C, "readinessProbe"]));
      d.deleteIn([...C, "readinessProbe"]);
    }) },
  { check: "fields", what: "misspelled field in a NetworkPolicy (podSelecter)", edit: editDoc("databases/user-db.yaml", "NetworkPolicy", "user-db", (d) => {
      d.setIn(["spec", "ingress", 0, "from", 0, "podSelecter"], d.getIn(["spec", "ingress", 0, "from", 0, "podSelector"]));
      d.deleteIn(["spec", "ingress", 0, "from", 0, "podSelector"]);
    }) },
  { check: "schema", what: 'wrong type replicas: "two"', edit: editDoc("order-service.yaml", "Deployment", "order-service", (d) => d.setIn(["spec", "replicas"], "two")) },
  { check: "schema", what: "missing required field (Deployment spec.selector)", edit: editDoc("audit-log-service.yaml", "Deployment", "audit-log-service", (d) => d.deleteIn(["spec", "selector"])) },
  { check: "probes", what: "probe path the service does not serve (/healthz)", edit: editDoc("user-service.yaml", "Deployment", "user-service", (d) => d.setIn([...C, "livenessProbe", "httpGet", "path"], "/healthz")) },
  { check: "probes", what: "Service targetPort differs from the service's port", edit: editDoc("order-service.yaml", "Service", "order-service", (d) => d.setIn(["spec", "ports", 0, "targetPort"], 8080)) },
  { check: "env", what: "env var the service does not read (USER_SERVICE_DB_HOSTNAME)", edit: editDoc("user-service.yaml", "ConfigMap", "user-service-config", (d) => d.setIn(["data", "USER_SERVICE_DB_HOSTNAME"], "user-db")) },
  { check: "secrets", what: "a real-looking password in a Secret", edit: editDoc("secrets.yaml", "Secret", "order-service-db", (d) => d.setIn(["stringData", "ORDER_SERVICE_DB_PASSWORD"], "s3cr3t-in-git")) },
  { check: "shutdown", what: "terminationGracePeriodSeconds 17 (= 5 + 2 + 10, not above)", edit: editDoc("user-service.yaml", "Deployment", "user-service", (d) => d.setIn(["spec", "template", "spec", "terminationGracePeriodSeconds"], 17)) },
  { check: "deployment", what: "one replica", edit: editDoc("order-service.yaml", "Deployment", "order-service", (d) => d.setIn(["spec", "replicas"], 1)) },
  { check: "deployment", what: "HPA minReplicas 1", edit: editDoc("user-service.yaml", "HorizontalPodAutoscaler", "user-service", (d) => d.setIn(["spec", "minReplicas"], 1)) },
  { check: "deployment", what: "PodDisruptionBudget minAvailable 2 of 2 replicas (blocks node drains)", edit: editDoc("audit-log-service.yaml", "PodDisruptionBudget", "audit-log-service", (d) => d.setIn(["spec", "minAvailable"], 2)) },
  { check: "deployment", what: "rolling update with maxUnavailable 1", edit: editDoc("order-service.yaml", "Deployment", "order-service", (d) => d.setIn(["spec", "strategy", "rollingUpdate", "maxUnavailable"], 1)) },
  { check: "shutdown", what: "terminationGracePeriodSeconds 10 (< 5 + 2 + 10)", edit: editDoc("audit-log-service.yaml", "Deployment", "audit-log-service", (d) => d.setIn(["spec", "template", "spec", "terminationGracePeriodSeconds"], 10)) },
  { check: "shutdown", what: "drain as 2s instead of ISO-8601 PT2S", edit: editDoc("order-service.yaml", "ConfigMap", "order-service-config", (d) => d.setIn(["data", "ORDER_SERVICE_SHUTDOWN_DRAIN"], "2s")) },
  { check: "deployment", what: "enableServiceLinks left on", edit: editDoc("user-service.yaml", "Deployment", "user-service", (d) => d.deleteIn(["spec", "template", "spec", "enableServiceLinks"])) },
  { check: "references", what: "NetworkPolicy peer selecting no pod (audit-service)", edit: editDoc("databases/audit-db.yaml", "NetworkPolicy", "audit-db", (d) => d.setIn(["spec", "ingress", 0, "from", 0, "podSelector", "matchLabels", "app.kubernetes.io/name"], "audit-service")) },
  { check: "network", what: "missing flow order-service -> user-service:8081", edit: editDoc("network-policies.yaml", "NetworkPolicy", "order-service", (d) => d.deleteIn(["spec", "egress", 1])) },
  { check: "env", what: "issuer variable the services do not read (EMS_AUTH_ISSUER_URL)", edit: editDoc("auth.yaml", "ConfigMap", "ems-auth", (d) => d.setIn(["data", "EMS_AUTH_ISSUER_URL"], "https://id.example.com/realms/ems")) },
  { check: "secrets", what: "a real-looking client secret in a Secret", edit: editDoc("secrets.yaml", "Secret", "user-service-client", (d) => d.setIn(["stringData", "USER_SERVICE_AUTH_CLIENT_SECRET"], "4f9c2e7a1b3d5f60")) },
  { check: "auth", what: "audit-log-service without the issuer settings (no ems-auth)", edit: editDoc("audit-log-service.yaml", "Deployment", "audit-log-service", (d) => {
      const envFrom = d.getIn([...C, "envFrom"]);
      envFrom.items = envFrom.items.filter((x) => x.getIn(["configMapRef", "name"]) !== "ems-auth");
    }) },
  { check: "auth", what: "order-service without its client secret (no order-service-client)", edit: editDoc("order-service.yaml", "Deployment", "order-service", (d) => {
      const envFrom = d.getIn([...C, "envFrom"]);
      envFrom.items = envFrom.items.filter((x) => x.getIn(["secretRef", "name"]) !== "order-service-client");
    }) },
  { check: "auth", what: "ems-auth without EMS_AUTH_AUDIENCE", edit: editDoc("auth.yaml", "ConfigMap", "ems-auth", (d) => d.deleteIn(["data", "EMS_AUTH_AUDIENCE"])) },
  { check: "auth", what: "a service's own override naming the local issuer's keys", edit: editDoc("audit-log-service.yaml", "ConfigMap", "audit-log-service-config", (d) => d.setIn(["data", "AUDIT_LOG_SERVICE_AUTH_JWKS_URI"], "http://localhost:8090/jwks")) },
  { check: "auth", what: "the JWKS over plain http", edit: editDoc("auth.yaml", "ConfigMap", "ems-auth", (d) => d.setIn(["data", "EMS_AUTH_JWKS_URI"], "http://id.example.com/realms/ems/protocol/openid-connect/certs")) },
  { check: "auth", what: "order-service's client secret in its ConfigMap", edit: editDoc("order-service.yaml", "ConfigMap", "order-service-config", (d) => d.setIn(["data", "ORDER_SERVICE_AUTH_CLIENT_SECRET"], "CHANGE-ME-order-service-client-secret")) },
  { check: "auth", what: "the local development issuer", edit: editDoc("auth.yaml", "ConfigMap", "ems-auth", (d) => d.setIn(["data", "EMS_AUTH_ISSUER"], "http://localhost:8090")) },
  { check: "pseudonymisation", what: "order-service without the pseudonymisation key (no audit-pseudonymisation)", edit: editDoc("order-service.yaml", "Deployment", "order-service", (d) => {
      const envFrom = d.getIn([...C, "envFrom"]);
      envFrom.items = envFrom.items.filter((x) => x.getIn(["secretRef", "name"]) !== "audit-pseudonymisation");
    }) },
  { check: "pseudonymisation", what: "user-service's pseudonymisation key in its ConfigMap", edit: editDoc("user-service.yaml", "ConfigMap", "user-service-config", (d) => d.setIn(["data", "EMS_AUDIT_PSEUDONYMISATION_KEY"], "CHANGE-ME-a-long-random-pseudonymisation-key")) },
  { check: "secrets", what: "a real-looking pseudonymisation key in a Secret", edit: editDoc("secrets.yaml", "Secret", "audit-pseudonymisation", (d) => d.setIn(["stringData", "EMS_AUDIT_PSEUDONYMISATION_KEY"], "7f3a9c1e5b2d4f6081a3c5e7092b4d6f")) },
  { check: "network", what: "no egress user-service -> the issuer (HTTPS)", edit: editDoc("network-policies.yaml", "NetworkPolicy", "user-service", (d) => {
      const egress = d.getIn(["spec", "egress"]);
      egress.items = egress.items.filter((r) => !r.getIn(["to", 0, "ipBlock"]));
    }) },
  { check: "network", what: "egress audit-log-service -> the issuer on port 80 instead of 443", edit: editDoc("network-policies.yaml", "NetworkPolicy", "audit-log-service", (d) => {
      const rule = d.getIn(["spec", "egress"]).items.find((r) => r.getIn(["to", 0, "ipBlock"]));
      rule.setIn(["ports", 0, "port"], 80);
    }) },
  { check: "roles", what: "the owner's password in the running audit-log-service", edit: editDoc("audit-log-service.yaml", "Deployment", "audit-log-service", (d) => {
      d.getIn([...C, "envFrom"]).add(d.createNode({ secretRef: { name: "audit-log-service-db-owner" } }));
    }) },
  { check: "roles", what: "user-service migrating itself (no init container, migrations enabled)", edit: editDoc("user-service.yaml", "Deployment", "user-service", (d) => d.deleteIn(["spec", "template", "spec", "initContainers"])) },
  { check: "roles", what: "order-db's superuser is order-service's role", edit: editDoc("databases/order-db.yaml", "StatefulSet", "order-db", (d) => {
      const env = d.getIn(["spec", "template", "spec", "containers", 0, "env"]);
      env.items.find((e) => e.get("name") === "POSTGRES_USER").set("value", "ems_orders");
    }) },
  { check: "roles", what: "the roles script differs from compose/postgres-roles.sh", edit: editDoc("databases/postgres-roles.yaml", "ConfigMap", "postgres-roles", (d) => d.setIn(["data", "postgres-roles.sh"], "#!/bin/sh\ntrue\n")) },
];

async function main() {
  let objects;
  try {
    objects = render(K8S);
    ok(`kubectl kustomize ${path.relative(ROOT, K8S) || K8S} renders ${objects.length} objects`);
  } catch (e) {
    bad("kubectl kustomize k8s", [e.message]);
  }
  if (objects) {
    const results = await runChecks(objects, ROOT);
    for (const [name, errs] of Object.entries(results)) (errs.length ? bad : ok)(`${name}: ${CHECKS[name].title}`, errs);
  }

  // Each check must fail on a manifest broken on purpose (the real ones must pass for this to mean anything).
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ems-k8s-broken-"));
  try {
    for (const b of BROKEN) {
      const dir = path.join(tmp, `${b.check}-${BROKEN.indexOf(b)}`, "k8s");
      fs.cpSync(K8S, dir, { recursive: true });
      try {
        b.edit(dir);
        const results = await runChecks(render(dir), ROOT);
        const errs = results[b.check];
        if (errs.length) ok(`broken copy (${b.what}) fails check "${b.check}": ${errs[0]}`);
        else bad(`broken copy (${b.what}) was NOT caught by check "${b.check}"`);
      } catch (e) {
        bad(`broken copy (${b.what}) could not be tested`, [e.message]);
      }
    }
    // a kustomization naming a file that does not exist must not render
    const dir = path.join(tmp, "render", "k8s");
    fs.cpSync(K8S, dir, { recursive: true });
    fs.appendFileSync(path.join(dir, "kustomization.yaml"), "  - does-not-exist.yaml\n");
    try {
      render(dir);
      bad("broken copy (kustomization names a missing file) rendered anyway");
    } catch (e) {
      ok(`broken copy (kustomization names a missing file) fails to render: ${e.message.split("\n")[0].slice(0, 160)}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

await main();
