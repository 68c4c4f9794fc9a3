#!/usr/bin/env node
// Project checks for the container files, used by checks/compose/run (each subcommand exits 1 on a finding).
//   node check.js <check> <files...>        (REPO_ROOT: the repository, for poms and application.yaml)
"use strict";
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

const ROOT = process.env.REPO_ROOT || path.resolve(__dirname, "..", "..");
const SERVICES = ["user-service", "order-service", "audit-log-service"];
const DATABASES = { "user-service": ["user-db", "users"], "order-service": ["order-db", "orders"],
                    "audit-log-service": ["audit-db", "audit"] };
const HEALTH_PATHS = ["/health", "/health/live", "/health/ready", "/health/started"];
const ALLOWED_ENV = [/^HELIDON_CONFIG_PROFILE$/, /^JAVA_TOOL_OPTIONS$/, /^JAVA_OPTS$/, /^SERVER_[A-Za-z0-9_]+$/];

const problems = [];
const fail = (msg) => problems.push(msg);
const readYaml = (file) => {
  const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"), { uniqueKeys: true });
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
  return doc.toJS();
};

/**
 * The settings a service reads, as dotted leaf keys (user.service.db.host, circuit.breaker.error-ratio...): its
 * application.yaml, the keys only application-local.yaml gives a value (the secrets, which have no default
 * elsewhere), and the settings whose default the service derives (the burst is twice the limit, a client's
 * share of the concurrency half the total).
 */
const WITHOUT_DEFAULT = ["rate.burst", "max-concurrent-requests-per-client", "observe.max-concurrent-requests-per-client"];
function configKeys(service) {
  const keys = new Set();
  const walk = (node, prefix) => {
    if (node !== null && typeof node === "object" && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else {
      keys.add(prefix);
    }
  };
  const resources = path.join(ROOT, service, "src", "main", "resources");
  walk(readYaml(path.join(resources, "application.yaml")), "");
  walk(readYaml(path.join(resources, "application-local.yaml")), "");
  for (const key of WITHOUT_DEFAULT) keys.add(`${service.replace(/-/g, ".")}.${key}`);
  return keys;
}

/** Helidon's environment-variable mapping, reversed: USER_SERVICE_MAX_dash_BODY_dash_BYTES -> user.service.max-body-bytes */
const envToKey = (name) => name.replace(/_dash_/gi, "-").replace(/_/g, ".").toLowerCase();

/** The environment of a compose service as an object (map or list form). */
function envOf(svc) {
  const env = svc.environment || {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => { const i = e.indexOf("="); return i < 0 ? [e, ""] : [e.slice(0, i), e.slice(i + 1)]; }));
  }
  return env;
}

/** Instructions of the final stage of a Dockerfile (continuation lines joined, comments dropped). */
function dockerfile(file) {
  const lines = fs.readFileSync(file, "utf8").replace(/\\\r?\n/g, " ").split(/\r?\n/)
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const stages = [];
  for (const l of lines) {
    const m = l.match(/^(\S+)\s*(.*)$/);
    const ins = { op: m[1].toUpperCase(), args: m[2] };
    if (ins.op === "FROM") stages.push([]);
    if (stages.length) stages[stages.length - 1].push(ins);
  }
  return stages;
}

/** The configured port of a service: its compose env override, else application.yaml. */
function configuredPort(service, env) {
  const prefix = service.replace(/-/g, "_").toUpperCase();
  if (env && env[`${prefix}_PORT`] !== undefined) return Number(env[`${prefix}_PORT`]);
  const yaml = readYaml(path.join(ROOT, service, "src", "main", "resources", "application.yaml"));
  let node = yaml;
  for (const part of service.split("-")) node = node && node[part];
  return Number(node && node.port);
}

const checks = {
  // dockerfile-utils 0.16.3: any error or warning fails
  "dockerfile-lint"(file) {
    const { validate } = require("dockerfile-utils");
    for (const d of validate(fs.readFileSync(file, "utf8"))) {
      const kind = d.severity === 1 ? "error" : d.severity === 2 ? "warning" : "info";
      if (d.severity === 1 || d.severity === 2) fail(`${file}:${d.range.start.line + 1}: ${kind}: ${d.message}`);
      else console.log(`  ${file}:${d.range.start.line + 1}: ${kind}: ${d.message}`);
    }
  },

  // every environment variable of a service in compose.yml is one the service reads
  "compose-env"(composeFile) {
    const compose = readYaml(composeFile);
    for (const service of SERVICES) {
      const svc = compose.services && compose.services[service];
      if (!svc) { fail(`compose.yml has no service ${service}`); continue; }
      const keys = configKeys(service);
      for (const name of Object.keys(envOf(svc))) {
        if (ALLOWED_ENV.some((re) => re.test(name))) continue;
        if (!keys.has(envToKey(name))) {
          fail(`${service}: environment variable ${name} (config key ${envToKey(name)}) is not read by the service `
               + `(no such key in ${service}/src/main/resources/application*.yaml)`);
        }
      }
    }
  },

  // compose ports, EXPOSE and the HEALTHCHECK URL use the port the service is configured with
  ports(composeFile, ...dockerfiles) {
    const compose = readYaml(composeFile);
    SERVICES.forEach((service, i) => {
      const svc = (compose.services || {})[service] || {};
      const port = configuredPort(service, envOf(svc));
      if (!Number.isInteger(port)) { fail(`${service}: no configured port`); return; }
      const yamlPort = configuredPort(service, null);
      if (port !== yamlPort) fail(`${service}: compose sets port ${port}, the service's documented port is ${yamlPort}`);
      const ports = (svc.ports || []).map((p) => (typeof p === "object" ? `${p.published}:${p.target}` : String(p)));
      if (!ports.includes(`${port}:${port}`)) fail(`${service}: compose ports ${JSON.stringify(ports)} do not publish ${port}:${port}`);
      const last = dockerfile(dockerfiles[i]).pop() || [];
      const exposed = last.filter((x) => x.op === "EXPOSE").flatMap((x) => x.args.split(/\s+/)).map((p) => Number(p.split("/")[0]));
      if (exposed.length !== 1 || exposed[0] !== port) fail(`${dockerfiles[i]}: EXPOSE ${exposed.join(" ")} is not the service port ${port}`);
      const hc = last.find((x) => x.op === "HEALTHCHECK");
      const url = hc && hc.args.match(/https?:\/\/[^:/"\s]+:(\d+)/);
      if (!url || Number(url[1]) !== port) fail(`${dockerfiles[i]}: HEALTHCHECK does not call port ${port}`);
    });
  },

  // the HEALTHCHECK of the runtime stage calls one of the service's health endpoints, with a tool the image has
  healthcheck(file) {
    const last = dockerfile(file).pop() || [];
    const hc = last.filter((x) => x.op === "HEALTHCHECK");
    if (hc.length !== 1) { fail(`${file}: the runtime stage needs exactly one HEALTHCHECK (has ${hc.length})`); return; }
    const m = hc[0].args.match(/https?:\/\/[^/"\s]+(\/[^"\s?]*)/);
    if (!m) { fail(`${file}: HEALTHCHECK calls no http URL`); return; }
    if (!HEALTH_PATHS.includes(m[1])) fail(`${file}: HEALTHCHECK path ${m[1]} is not one of ${HEALTH_PATHS.join(", ")}`);
    const exec = hc[0].args.match(/CMD\s+\[\s*"([^"]+)"/);
    if (!exec) { fail(`${file}: HEALTHCHECK must use the exec form CMD ["tool", ...]`); return; }
    const tool = exec[1];
    const installed = last.some((x) => x.op === "RUN" && new RegExp(`apt-get install[^&;]*\\b${tool}\\b|apk add[^&;]*\\b${tool}\\b`).test(x.args));
    if (!installed) fail(`${file}: HEALTHCHECK uses ${tool}, which the runtime stage does not install (the Temurin JRE image has no curl or wget)`);
  },

  // how the image is built and run: the -am build gets every module it needs, exec-form java, non-root, heap
  "dockerfile-project"(file, service) {
    const stages = dockerfile(file);
    if (stages.length !== 2) fail(`${file}: expected 2 stages (Maven build, JRE runtime), found ${stages.length}`);
    const [build = [], run = []] = stages;
    if (!/^maven:\S*eclipse-temurin-25\S*\s+AS\s+\S+/i.test((build[0] || {}).args || "")) fail(`${file}: stage 1 must be FROM maven:*-eclipse-temurin-25* AS <name>`);
    if (!/^eclipse-temurin:25[.\d]*-jre/.test((run[0] || {}).args || "")) fail(`${file}: stage 2 must be FROM eclipse-temurin:25-jre*`);
    const mvn = build.filter((x) => x.op === "RUN" && /\bmvn\b/.test(x.args));
    if (mvn.length !== 1 || !mvn[0].args.includes(`mvn -B -q -pl ${service} -am package -DskipTests`)) {
      fail(`${file}: the build must run 'mvn -B -q -pl ${service} -am package -DskipTests'`);
    }
    const copied = build.filter((x) => x.op === "COPY" && !/--from/.test(x.args)).map((x) => x.args.split(/\s+/)[0].replace(/\/$/, ""));
    const parent = fs.readFileSync(path.join(ROOT, "pom.xml"), "utf8");
    const modules = [...parent.matchAll(/<module>([^<]+)<\/module>/g)].map((m) => m[1]);
    for (const pom of ["pom.xml", ...modules.map((m) => `${m}/pom.xml`)]) {
      if (!copied.includes(pom)) fail(`${file}: does not COPY ${pom} (Maven reads every module of the parent pom, even with -pl)`);
    }
    if (fs.existsSync(path.join(ROOT, ".mvn")) && !copied.includes(".mvn")) {
      fail(`${file}: does not COPY .mvn (the Maven JVM's options: jvm.config opens the JDK compiler to error-prone)`);
    }
    // modules -am builds: the service and every dev.ems module it depends on (any scope), transitively
    const artifactToModule = Object.fromEntries(modules.map((m) => {
      const pom = fs.readFileSync(path.join(ROOT, m, "pom.xml"), "utf8").replace(/<parent>[\s\S]*?<\/parent>/, "");
      return [pom.match(/<artifactId>([^<]+)<\/artifactId>/)[1], m];
    }));
    const need = new Set();
    const visit = (m) => {
      if (need.has(m)) return;
      need.add(m);
      const pom = fs.readFileSync(path.join(ROOT, m, "pom.xml"), "utf8");
      for (const d of pom.matchAll(/<dependency>\s*<groupId>dev\.ems<\/groupId>\s*<artifactId>([^<]+)<\/artifactId>/g)) {
        if (artifactToModule[d[1]]) visit(artifactToModule[d[1]]);
      }
    };
    visit(service);
    for (const m of need) if (!copied.includes(`${m}/src`)) fail(`${file}: does not COPY ${m}/src, which '-pl ${service} -am' builds`);
    const entry = run.filter((x) => x.op === "ENTRYPOINT");
    let argv = null;
    try { argv = entry.length === 1 ? JSON.parse(entry[0].args) : null; } catch (e) { argv = null; }
    if (!Array.isArray(argv) || argv[0] !== "java") fail(`${file}: ENTRYPOINT must be the exec form ["java", ...] so that SIGTERM reaches the JVM`);
    else {
      if (!argv.some((a) => /^-XX:MaxRAMPercentage=\d+(\.\d+)?$/.test(a))) fail(`${file}: java needs -XX:MaxRAMPercentage (container-aware heap)`);
      if (!argv.includes(`/app/${service}.jar`)) fail(`${file}: ENTRYPOINT does not run /app/${service}.jar`);
    }
    if (!run.some((x) => x.op === "COPY" && x.args.includes(`/${service}/target/${service}.jar`))) fail(`${file}: the runtime stage does not copy target/${service}.jar`);
    if (!run.some((x) => x.op === "COPY" && x.args.includes(`/${service}/target/libs`))) fail(`${file}: the runtime stage does not copy target/libs/ (the jar's Class-Path)`);
    const user = run.filter((x) => x.op === "USER").pop();
    if (!user || /^(root|0)(:|$)/.test(user.args)) fail(`${file}: the runtime stage must end as a non-root USER`);
    const stop = run.find((x) => x.op === "STOPSIGNAL");
    if (stop && stop.args !== "SIGTERM") fail(`${file}: STOPSIGNAL must be SIGTERM (the JVM's graceful shutdown)`);
  },

  // compose wiring: databases, health-gated start, service URLs, mounts of files that exist
  "compose-project"(composeFile) {
    const compose = readYaml(composeFile);
    const services = compose.services || {};
    if ("version" in compose) fail("compose.yml: no 'version:' key (obsolete in the compose specification)");
    for (const [service, [db, name]] of Object.entries(DATABASES)) {
      const d = services[db];
      if (!d) { fail(`no service ${db}`); continue; }
      if (!/^postgres:17(\b|$)/.test(d.image || "")) fail(`${db}: image must be postgres:17`);
      if (envOf(d).POSTGRES_DB !== name) fail(`${db}: POSTGRES_DB must be ${name}`);
      if (!JSON.stringify((d.healthcheck || {}).test || "").includes("pg_isready")) fail(`${db}: healthcheck must use pg_isready`);
      const vol = (d.volumes || []).map(String).find((v) => v.endsWith(":/var/lib/postgresql/data"));
      if (!vol || !(vol.split(":")[0] in (compose.volumes || {}))) fail(`${db}: needs a named volume on /var/lib/postgresql/data`);
      const svc = services[service] || {};
      const env = envOf(svc);
      const prefix = service.replace(/-/g, "_").toUpperCase();
      if (env[`${prefix}_DB_HOST`] !== db) fail(`${service}: ${prefix}_DB_HOST must be ${db}`);
      if (env[`${prefix}_DB_NAME`] !== undefined && env[`${prefix}_DB_NAME`] !== name) fail(`${service}: ${prefix}_DB_NAME must be ${name}`);
      const dep = (svc.depends_on || {})[db];
      if (!dep || dep.condition !== "service_healthy") fail(`${service}: must depend on ${db} with condition: service_healthy`);
      if (!svc.build || svc.build.context !== "." || svc.build.dockerfile !== `${service}/Dockerfile`) {
        fail(`${service}: build must be context '.' with dockerfile ${service}/Dockerfile`);
      }
      const grace = String(svc.stop_grace_period || "10s").match(/^(\d+)s$/);
      if (!grace || Number(grace[1]) <= 12) fail(`${service}: stop_grace_period must exceed drain (2s) + grace period (10s)`);
    }
    const order = envOf(services["order-service"] || {});
    if (order.ORDER_SERVICE_USER_SERVICE_URL !== "http://user-service:8081") fail("order-service: ORDER_SERVICE_USER_SERVICE_URL must be http://user-service:8081");
    for (const s of ["user-service", "order-service"]) {
      const v = `${s.replace(/-/g, "_").toUpperCase()}_AUDIT_URL`;
      if (envOf(services[s] || {})[v] !== "http://audit-log-service:8083") fail(`${s}: ${v} must be http://audit-log-service:8083`);
    }
    // the secrets compose sets are ones the services accept outside the local profile (dev.ems.core.server.Secrets):
    // set, no CHANGE-ME placeholder, not application-local.yaml's value, long enough; each password its database's
    const secret = (service, name, minBytes) => {
      const value = String(envOf(services[service] || {})[name] ?? "");
      const localValues = [...JSON.stringify(readYaml(path.join(ROOT, service, "src/main/resources/application-local.yaml")))
        .matchAll(/"(?:password|key)":"([^"]*)"/g)].map((m) => m[1]);
      if (!value) fail(`${service}: ${name} must be set (the service refuses to start without it)`);
      else if (/change-?me/i.test(value)) fail(`${service}: ${name} is a CHANGE-ME placeholder, which the service refuses`);
      else if (localValues.includes(value)) fail(`${service}: ${name} is the local-profile value, which the service refuses here`);
      else if (Buffer.byteLength(value, "utf8") < minBytes) fail(`${service}: ${name} is shorter than ${minBytes} bytes`);
      return value;
    };
    secret("audit-log-service", "AUDIT_LOG_SERVICE_INTEGRITY_KEY", 32);
    for (const [service, [db]] of Object.entries(DATABASES)) {
      const name = `${service.replace(/-/g, "_").toUpperCase()}_DB_PASSWORD`;
      if (secret(service, name, 1) !== String(envOf(services[db] || {}).POSTGRES_PASSWORD ?? "")) {
        fail(`${service}: ${name} differs from ${db}'s POSTGRES_PASSWORD`);
      }
    }
    const publishes = (s, p) => ((services[s] || {}).ports || []).map(String).includes(`${p}:${p}`);
    if (!publishes("prometheus", 9090)) fail("prometheus must publish 9090:9090");
    if (!publishes("grafana", 3000)) fail("grafana must publish 3000:3000");
    // bind mounts: read-only, and the source exists (prometheus.yml and prometheus/ belong to the Prometheus work)
    const dir = path.dirname(composeFile);
    for (const [name, svc] of Object.entries(services)) {
      for (const v of (svc.volumes || []).map(String).filter((v) => v.startsWith("./"))) {
        const [src, , mode] = v.split(":");
        if (mode !== "ro") fail(`${name}: bind mount ${v} must be read-only`);
        const real = path.join(ROOT, src);
        if (!fs.existsSync(real)) {
          if (/^\.\/prometheus(\.yml)?$/.test(src)) console.log(`  note: ${src} is not in the tree yet (the Prometheus work adds it)`);
          else fail(`${name}: bind mount source ${src} does not exist`);
        }
      }
    }
    const gf = (services.grafana || {}).volumes || [];
    if (!gf.some((v) => String(v).startsWith("./grafana/provisioning:/etc/grafana/provisioning"))) fail("grafana must mount ./grafana/provisioning at /etc/grafana/provisioning");
  },

  // the dashboard parses, every panel has a query, queries use the provisioned datasource
  dashboard(file) {
    let d;
    try { d = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { fail(`${file}: not JSON: ${e.message}`); return; }
    const panels = [];
    const walk = (list) => (list || []).forEach((p) => { panels.push(p); walk(p.panels); });
    walk(d.panels);
    const real = panels.filter((p) => p.type !== "row");
    if (!real.length) fail(`${file}: no panels`);
    const ids = new Set();
    for (const p of panels) {
      if (ids.has(p.id)) fail(`${file}: duplicate panel id ${p.id}`);
      ids.add(p.id);
    }
    for (const p of real) {
      const exprs = (p.targets || []).map((t) => t.expr).filter((e) => typeof e === "string" && e.trim());
      if (!exprs.length) fail(`${file}: panel "${p.title}" has no query`);
      for (const t of p.targets || []) {
        const ds = t.datasource || p.datasource || {};
        if (ds.uid !== "prometheus") fail(`${file}: panel "${p.title}" query ${t.refId} does not use datasource uid 'prometheus'`);
      }
      for (const e of exprs) {
        let depth = 0;
        for (const c of e) { depth += c === "(" ? 1 : c === ")" ? -1 : 0; if (depth < 0) break; }
        if (depth !== 0) fail(`${file}: panel "${p.title}": unbalanced parentheses in ${e}`);
      }
    }
    const text = JSON.stringify(d);
    const required = [
      ...["user_service", "order_service", "audit_log_service"].flatMap((s) => [
        `${s}_requests_total`, `${s}_errors_total`, `${s}_request_duration_seconds_bucket`]),
      'order_service_circuit_breaker_state{service=\\"user-service\\"}', "order_service_bulkhead_rejections_total",
      "user_service_audit_outbox_pending", "order_service_audit_outbox_pending", "histogram_quantile(0.5,", "histogram_quantile(0.99,",
    ];
    for (const r of required) if (!text.includes(r)) fail(`${file}: no query uses ${r.replace(/\\"/g, '"')}`);
  },

  // provisioning: the datasource the dashboard refers to, at http://prometheus:9090; the provider's path is mounted
  "grafana-provisioning"(dir, composeFile) {
    const read = (sub) => fs.readdirSync(path.join(dir, sub)).filter((f) => /\.ya?ml$/.test(f)).map((f) => readYaml(path.join(dir, sub, f)));
    const sources = read("datasources").flatMap((y) => y.datasources || []);
    const prom = sources.find((s) => s.uid === "prometheus");
    if (!prom || prom.type !== "prometheus" || prom.url !== "http://prometheus:9090") fail("datasources: need uid prometheus, type prometheus, url http://prometheus:9090");
    const providers = read("dashboards").flatMap((y) => y.providers || []);
    const compose = readYaml(composeFile);
    const mounts = (((compose.services || {}).grafana || {}).volumes || []).map(String);
    if (!providers.length) fail("dashboards: no provider");
    for (const p of providers) {
      const target = p.options && p.options.path;
      const m = mounts.find((v) => v.split(":")[1] === target);
      if (!m) fail(`dashboard provider ${p.name}: path ${target} is not mounted into grafana`);
      else if (!fs.existsSync(path.join(ROOT, m.split(":")[0], "ems.json"))) fail(`dashboard provider ${p.name}: ${m.split(":")[0]}/ems.json missing`);
    }
  },
};

const [name, ...args] = process.argv.slice(2);
if (!checks[name]) { console.error(`unknown check ${name}; one of: ${Object.keys(checks).join(", ")}`); process.exit(2); }
try {
  checks[name](...args);
} catch (e) {
  fail(e.message);
}
for (const p of problems) console.log(`  ${p}`);
process.exit(problems.length ? 1 : 0);
