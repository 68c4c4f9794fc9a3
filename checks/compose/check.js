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
// OpenTelemetry's own variables, which its SDK reads (README, "Tracing"): these names exactly, so a typo still fails
const OTEL_ENV = /^OTEL_(SERVICE_NAME|TRACES_EXPORTER|EXPORTER_OTLP_ENDPOINT|EXPORTER_ZIPKIN_ENDPOINT|TRACES_SAMPLER|TRACES_SAMPLER_ARG|PROPAGATORS)$/;
const ALLOWED_ENV = [/^HELIDON_CONFIG_PROFILE$/, /^JAVA_TOOL_OPTIONS$/, /^JAVA_OPTS$/, /^SERVER_[A-Za-z0-9_]+$/, OTEL_ENV];

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
 * elsewhere), the settings whose default the service derives (the burst is twice the limit, a client's
 * share of the concurrency half the total), and the token issuer's settings (AUTH_KEYS).
 */
const WITHOUT_DEFAULT = ["rate.burst", "max-concurrent-requests-per-client", "observe.max-concurrent-requests-per-client"];
/**
 * What dev.ems.core.auth.AuthSettings reads: ems.auth.<key> (EMS_AUTH_ISSUER...), outside the service's own prefix
 * and the same in every service, each overridable under <service>.auth.<key> (USER_SERVICE_AUTH_AUDIENCE...). Only
 * roles.claim has a default in application.yaml: the others have none in any profile but the local one.
 */
const AUTH_KEYS = ["issuer", "audience", "jwks.uri", "roles.claim", "token.uri"];
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
  for (const key of AUTH_KEYS) {
    keys.add(`ems.auth.${key}`);
    keys.add(`${service.replace(/-/g, ".")}.auth.${key}`);
  }
  return keys;
}

/** A YAML file's leaf values by dotted key. */
function flatten(node, prefix = "", out = new Map()) {
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, node);
  }
  return out;
}
const serviceYaml = (service, profile = "") =>
  flatten(readYaml(path.join(ROOT, service, "src", "main", "resources", `application${profile ? `-${profile}` : ""}.yaml`)));

/**
 * The issuer setting `key` (AUTH_KEYS) of a compose service, as the service resolves it: its own
 * <SERVICE>_AUTH_<KEY>, else EMS_AUTH_<KEY>, else application.yaml; {name: the variable that sets it, value}.
 */
function authSetting(env, service, key) {
  const suffix = key.replace(/\./g, "_").toUpperCase();
  const own = `${service.replace(/-/g, "_").toUpperCase()}_AUTH_${suffix}`;
  const shared = `EMS_AUTH_${suffix}`;
  if (env[own] !== undefined) return { name: own, value: String(env[own]) };
  if (env[shared] !== undefined) return { name: shared, value: String(env[shared]) };
  const dflt = serviceYaml(service).get(`ems.auth.${key}`);
  return { name: shared, value: dflt === undefined || dflt === null ? undefined : String(dflt) };
}

/**
 * The secret `name` of a compose service, checked as the service checks it outside the local profile
 * (dev.ems.core.config.Secrets): set, no CHANGE-ME placeholder, not a value of application-local.yaml, at least
 * minBytes long. Returns the value (also when it fails, for further comparisons).
 */
function acceptedSecret(services, service, name, minBytes) {
  const value = String(envOf(services[service] || {})[name] ?? "");
  const localValues = [...serviceYaml(service, "local")].filter(([k]) => /(^|\.)(password|key|secret)$/.test(k)).map(([, v]) => String(v));
  if (!value) fail(`${service}: ${name} must be set (the service refuses to start without it)`);
  else if (/change-?me/i.test(value)) fail(`${service}: ${name} is a CHANGE-ME placeholder, which the service refuses`);
  else if (localValues.includes(value)) fail(`${service}: ${name} is the local-profile value, which the service refuses here`);
  else if (Buffer.byteLength(value, "utf8") < minBytes) fail(`${service}: ${name} is shorter than ${minBytes} bytes`);
  return value;
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

/**
 * Expands Docker's variable forms in `s`: $NAME, ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word},
 * ${NAME:?message}, ${NAME?message} (the last two throw, as Docker's build does, when NAME is unset, or with ':' empty).
 *   mode "word":  how Docker expands COPY, ENV, LABEL, EXPOSE, USER... arguments: quotes are removed, backslash escapes
 *                 applied, nothing expands inside single quotes;
 *   mode "shell": how /bin/sh would see a shell-form command: the text is kept as written (quotes too), only the
 *                 variables are replaced, none inside single quotes.
 * lookup(name) gives a value or undefined (unset); unset(name) what an unset plain reference becomes: a string, or
 * null to keep it as written. refs collects every name referred to.
 */
function expand(s, mode, lookup, unset, refs) {
  const word = mode === "word";
  let out = "";
  let quote = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && i + 1 < s.length && quote !== "'") {
      out += word ? s[i + 1] : c + s[i + 1];
      i++;
    } else if (c === "'" && quote !== '"') {
      quote = quote === "'" ? null : "'";
      if (!word) out += c;
    } else if (c === '"' && quote !== "'") {
      quote = quote === '"' ? null : '"';
      if (!word) out += c;
    } else if (c === "$" && quote !== "'" && s[i + 1] === "{") {
      let depth = 1;
      let j = i + 2;
      for (; j < s.length && depth; j++) depth += s[j] === "{" ? 1 : s[j] === "}" ? -1 : 0;
      if (depth) throw new Error(`syntax error: missing '}' in ${s.slice(i)}`);
      const inner = s.slice(i + 2, j - 1);
      const m = inner.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+?])([\s\S]*))?$/);
      if (!m) throw new Error(`bad substitution: \${${inner}}`);
      const [, name, colon, op, rest = ""] = m;
      refs.add(name);
      const v = lookup(name);
      const missing = v === undefined || (colon === ":" && v === "");
      const sub = () => expand(rest, "word", lookup, () => "", refs);
      if (!op) out += v !== undefined ? v : (unset(name) ?? s.slice(i, j));
      else if (op === "-") out += missing ? sub() : v;
      else if (op === "+") out += missing ? "" : sub();
      else if (missing) {
        const message = sub() || (v === undefined ? "is not allowed to be unset" : "is not allowed to be empty");
        throw Object.assign(new Error(`failed to process "${s.slice(i, j)}": ${name}: ${message}`), { variable: name });
      } else out += v;
      i = j - 1;
    } else if (c === "$" && quote !== "'" && /[A-Za-z_]/.test(s[i + 1] || "")) {
      const name = s.slice(i + 1).match(/^[A-Za-z_][A-Za-z0-9_]*/)[0];
      refs.add(name);
      const v = lookup(name);
      out += v !== undefined ? v : (unset(name) ?? `$${name}`);
      i += name.length;
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits an instruction's arguments at whitespace outside quotes (the quotes stay, for expand to remove). */
function splitWords(s) {
  const words = [];
  let cur = "";
  let quote = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && i + 1 < s.length && quote !== "'") { cur += c + s[++i]; continue; }
    if ((c === '"' || c === "'") && (!quote || quote === c)) quote = quote ? null : c;
    if (/\s/.test(c) && !quote) { if (cur) words.push(cur); cur = ""; } else cur += c;
  }
  if (cur) words.push(cur);
  return words;
}

/** The JSON (exec) form of an instruction's arguments, or null for the shell form. */
function execForm(s) {
  if (!s.trim().startsWith("[")) return null;
  try {
    const argv = JSON.parse(s);
    return Array.isArray(argv) && argv.every((a) => typeof a === "string") ? argv : null;
  } catch (e) {
    return null;
  }
}

/**
 * A Dockerfile as Docker builds it with the build args `buildArgs` ({SERVICE: "user-service", ...}): its stages, each
 * a list of instructions {op, line, raw, args, words, exec, shell, refs, buildArgsAtRunTime}. Continuation lines are
 * joined, comments dropped, and every variable is expanded where Docker expands it, with the values Docker would use:
 *  - COPY, ADD, ENV, LABEL, EXPOSE, USER, WORKDIR, STOPSIGNAL, VOLUME, ARG defaults: by the Dockerfile itself, from
 *    the ARGs declared in the stage (a build arg, else the default) and the ENVs before it; an unset name is "";
 *  - FROM: from the ARGs declared before the first FROM (a stage FROM an earlier one has that one's ENVs);
 *  - RUN (shell form): by /bin/sh during the build, which sees the stage's ARGs and ENVs;
 *  - ENTRYPOINT, CMD, HEALTHCHECK CMD in the exec form ["...", ...]: never (the text reaches the process as written);
 *    in the shell form: by /bin/sh in the running container, which has the ENVs but no build arg. A build arg
 *    named there is listed in buildArgsAtRunTime (and becomes "").
 * ${NAME:?message} with NAME unset or empty throws, as the build would fail; the error has .line and .variable.
 */
function dockerfile(file, buildArgs = {}) {
  const physical = fs.readFileSync(file, "utf8").split(/\r?\n/);
  const logical = [];
  let pending = null;
  physical.forEach((text, n) => {
    const t = text.trim();
    if (t.startsWith("#")) return; // comments (and parser directives), also inside a continuation
    if (pending === null && !t) return;
    if (pending === null) pending = { line: n + 1, text: "" };
    if (/\\$/.test(t)) { pending.text += t.slice(0, -1) + " "; return; }
    pending.text += t;
    logical.push(pending);
    pending = null;
  });
  if (pending) logical.push(pending);

  const given = (name) => Object.prototype.hasOwnProperty.call(buildArgs, name);
  const globalArgs = {};
  const stages = [];
  let stage = null;
  for (const { line, text } of logical) {
    const m = text.match(/^(\S+)\s*([\s\S]*)$/);
    const ins = { op: m[1].toUpperCase(), line, raw: m[2], args: m[2], words: [], exec: null, shell: null, buildArgsAtRunTime: [] };
    const refs = new Set();
    const buildLookup = (name) => {
      if (stage && name in stage.env) return stage.env[name];
      if (stage && name in stage.args) return stage.args[name];
      return undefined;
    };
    const declared = (name) => !!stage && (name in stage.args || name in stage.env);
    const words = (s, lookup = buildLookup) => splitWords(s).map((w) => expand(w, "word", lookup, () => "", refs));
    const runTime = (s) => expand(s, "shell", (name) => stage.env[name], (name) => {
      if (name in stage.args) { ins.buildArgsAtRunTime.push(name); return ""; }
      return null; // perhaps the base image's ENV (JAVA_HOME...): kept as written
    }, refs);
    try {
      if (ins.op === "ARG") {
        const scope = stage ? stage.args : globalArgs;
        for (const w of splitWords(ins.raw)) {
          const [name, ...def] = w.split("=");
          const dflt = def.length ? expand(def.join("="), "word", stage ? buildLookup : (n) => globalArgs[n], () => "", refs) : undefined;
          scope[name] = given(name) ? String(buildArgs[name]) : dflt !== undefined ? dflt : (stage ? globalArgs[name] : undefined);
        }
        ins.words = splitWords(ins.raw);
      } else if (ins.op === "FROM") {
        ins.words = words(ins.raw, (n) => globalArgs[n]).filter((w) => !w.startsWith("--"));
        // FROM <an earlier stage> starts from its image, ENVs included (its ARGs stay behind)
        const base = stages.find((x) => x.name && x.name === ins.words[0]);
        stage = { args: {}, env: { ...(base ? base.env : {}) }, instructions: [] };
        if (/^AS$/i.test(ins.words[1] || "")) stage.name = ins.words[2];
        stages.push(stage);
      } else if (!stage) {
        throw new Error(`${ins.op} before the first FROM`);
      } else if (ins.op === "ENV") {
        const raw = splitWords(ins.raw);
        const pairs = raw[0] && raw[0].includes("=")
          ? raw.map((w) => { const i = w.indexOf("="); return [w.slice(0, i), w.slice(i + 1)]; })
          : [[raw[0], ins.raw.slice(ins.raw.indexOf(raw[0]) + raw[0].length).trim()]];
        const values = pairs.map(([k, v]) => [k, expand(v, "word", buildLookup, () => "", refs)]);
        for (const [k, v] of values) stage.env[k] = v;
        ins.words = values.map(([k, v]) => `${k}=${v}`);
      } else if (ins.op === "RUN") {
        ins.exec = execForm(ins.raw);
        if (!ins.exec) ins.shell = expand(ins.raw, "shell", buildLookup, (name) => (declared(name) ? "" : null), refs);
      } else if (["ENTRYPOINT", "CMD"].includes(ins.op)) {
        ins.exec = execForm(ins.raw);
        if (!ins.exec) ins.shell = runTime(ins.raw);
      } else if (ins.op === "HEALTHCHECK") {
        const at = ins.raw.search(/(^|\s)(CMD|NONE)(\s|$)/i);
        const options = at < 0 ? ins.raw : ins.raw.slice(0, at);
        const command = at < 0 ? "" : ins.raw.slice(at).trim().replace(/^CMD\s*/i, "");
        ins.words = words(options);
        if (/^NONE$/i.test(command)) ins.none = true;
        else {
          ins.exec = execForm(command);
          if (!ins.exec) ins.shell = runTime(command);
        }
      } else if (["COPY", "ADD", "VOLUME"].includes(ins.op) && execForm(ins.raw.replace(/^(--\S+\s+)*/, ""))) {
        const flags = ins.raw.match(/^(--\S+\s+)*/)[0];
        ins.words = [...words(flags), ...execForm(ins.raw.slice(flags.length)).map((a) => expand(a, "word", buildLookup, () => "", refs))];
      } else if (["COPY", "ADD", "EXPOSE", "LABEL", "USER", "WORKDIR", "STOPSIGNAL", "VOLUME", "ONBUILD", "SHELL", "MAINTAINER"].includes(ins.op)) {
        ins.words = ["ONBUILD", "SHELL"].includes(ins.op) ? splitWords(ins.raw) : words(ins.raw);
      } else {
        ins.words = splitWords(ins.raw);
      }
    } catch (e) {
      throw Object.assign(new Error(`${file}:${line}: ${ins.op} ${e.message}`), { line, variable: e.variable });
    }
    ins.refs = [...refs];
    // what the checks match against: the arguments as Docker (or the shell) gets them
    if (ins.op === "HEALTHCHECK") ins.args = [...ins.words, "CMD", ins.exec ? JSON.stringify(ins.exec) : ins.shell || ""].join(" ");
    else if (ins.exec) ins.args = JSON.stringify(ins.exec);
    else if (ins.shell !== null) ins.args = ins.shell;
    else ins.args = ins.words.join(" ");
    if (stage) stage.instructions.push(ins);
  }
  return stages.map((s) => s.instructions);
}

/** The build args compose.yml gives a service's image (map or list form), as strings; {} if none. */
function buildArgsOf(composeFile, service) {
  const svc = (readYaml(composeFile).services || {})[service] || {};
  const args = (svc.build && svc.build.args) || {};
  if (Array.isArray(args)) {
    return Object.fromEntries(args.map((e) => { const i = e.indexOf("="); return i < 0 ? [e, undefined] : [e.slice(0, i), e.slice(i + 1)]; })
      .filter(([, v]) => v !== undefined));
  }
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
}

/** The source paths and the destination of a COPY/ADD (flags such as --from left out). */
function copyPaths(ins) {
  const paths = ins.words.filter((w) => !w.startsWith("--"));
  return { sources: paths.slice(0, -1).map((p) => p.replace(/\/$/, "")), dest: paths[paths.length - 1] || "" };
}

/**
 * The modules `mvn -pl <service> -am` builds besides the parent: the service and every dev.ems module it depends on,
 * transitively, in any scope, also as a plugin's dependency (Maven's reactor counts those), including the plugin
 * dependencies the parent pom's pluginManagement adds to a plugin the module declares (the OpenAPI assembler reaches
 * a service that way) and whatever the parent's own dependencies and plugins add to every module.
 */
function amModules(service, modules) {
  const read = (m) => fs.readFileSync(path.join(ROOT, m, "pom.xml"), "utf8").replace(/<!--[\s\S]*?-->/g, "");
  const devEms = (xml) => [...xml.matchAll(/<dependency>\s*<groupId>dev\.ems<\/groupId>\s*<artifactId>([^<]+)<\/artifactId>/g)].map((d) => d[1]);
  const plugins = (xml) => [...xml.matchAll(/<plugin>([\s\S]*?)<\/plugin>/g)].map((p) => p[1]);
  const artifactOf = (xml) => (xml.match(/<artifactId>([^<]+)<\/artifactId>/) || [])[1];
  const parent = read(".");
  const managed = (parent.match(/<pluginManagement>([\s\S]*?)<\/pluginManagement>/) || ["", ""])[1];
  const managedDeps = {};
  for (const p of plugins(managed)) managedDeps[artifactOf(p)] = devEms(p);
  const inherited = devEms(parent.replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/, "")
    .replace(/<pluginManagement>[\s\S]*?<\/pluginManagement>/, ""));
  const artifactToModule = Object.fromEntries(modules.map((m) => [artifactOf(read(m).replace(/<parent>[\s\S]*?<\/parent>/, "")), m]));
  const need = new Set();
  const visit = (m) => {
    if (need.has(m)) return;
    need.add(m);
    const pom = read(m);
    const deps = [...devEms(pom), ...inherited, ...plugins(pom).flatMap((p) => managedDeps[artifactOf(p)] || [])];
    for (const d of deps) if (artifactToModule[d]) visit(artifactToModule[d]);
  };
  visit(service);
  return need;
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

  // compose ports, the build arg PORT, EXPOSE and the HEALTHCHECK URL use the port the service is configured with
  // (the Dockerfile rendered with each service's build args from compose.yml)
  ports(composeFile, file) {
    const compose = readYaml(composeFile);
    for (const service of SERVICES) {
      const svc = (compose.services || {})[service] || {};
      const port = configuredPort(service, envOf(svc));
      if (!Number.isInteger(port)) { fail(`${service}: no configured port`); continue; }
      const yamlPort = configuredPort(service, null);
      if (port !== yamlPort) fail(`${service}: compose sets port ${port}, the service's documented port is ${yamlPort}`);
      const ports = (svc.ports || []).map((p) => (typeof p === "object" ? `${p.published}:${p.target}` : String(p)));
      if (!ports.includes(`${port}:${port}`)) fail(`${service}: compose ports ${JSON.stringify(ports)} do not publish ${port}:${port}`);
      const args = buildArgsOf(composeFile, service);
      if (args.PORT !== String(port)) fail(`${service}: compose build arg PORT is ${args.PORT === undefined ? "missing" : args.PORT}, must be "${port}" (EXPOSE and the HEALTHCHECK use it)`);
      let last;
      try {
        last = dockerfile(file, args).pop() || [];
      } catch (e) {
        fail(`${service}: ${e.message}`);
        continue;
      }
      const exposed = last.filter((x) => x.op === "EXPOSE").flatMap((x) => x.words).map((p) => Number(p.split("/")[0]));
      if (exposed.length !== 1 || exposed[0] !== port) fail(`${file} for ${service}: EXPOSE ${exposed.join(" ")} is not the service port ${port}`);
      const hc = last.find((x) => x.op === "HEALTHCHECK");
      const url = hc && hc.args.match(/https?:\/\/[^:/"\s]+:(\d+)/);
      if (!url || Number(url[1]) !== port) fail(`${file} for ${service}: HEALTHCHECK does not call port ${port}`);
    }
  },

  // the HEALTHCHECK of the runtime stage calls one of the service's health endpoints, with a tool the image has, and
  // needs no build arg when it runs (in the container, where only ENVs exist)
  healthcheck(file, composeFile, service) {
    const last = dockerfile(file, buildArgsOf(composeFile, service)).pop() || [];
    const hc = last.filter((x) => x.op === "HEALTHCHECK");
    if (hc.length !== 1) { fail(`${file}: the runtime stage needs exactly one HEALTHCHECK (has ${hc.length})`); return; }
    const [h] = hc;
    for (const name of h.buildArgsAtRunTime) {
      fail(`${file}:${h.line}: HEALTHCHECK uses \$${name}, a build arg: the check runs in the container, where build args `
           + `do not exist (it would be empty); put the value in an ENV`);
    }
    const m = h.args.match(/https?:\/\/[^/"\s]+(\/[^"\s?]*)/);
    if (!m) { fail(`${file}: HEALTHCHECK calls no http URL`); return; }
    if (!HEALTH_PATHS.includes(m[1])) fail(`${file}: HEALTHCHECK path ${m[1]} is not one of ${HEALTH_PATHS.join(", ")}`);
    const tool = h.exec ? h.exec[0] : ((h.shell || "").trim().match(/^[^\s;&|]+/) || [""])[0];
    if (!tool) { fail(`${file}: HEALTHCHECK runs no command`); return; }
    const installed = last.some((x) => x.op === "RUN" && new RegExp(`apt-get install[^&;]*\\b${tool}\\b|apk add[^&;]*\\b${tool}\\b`).test(x.args));
    if (!installed) fail(`${file}: HEALTHCHECK uses ${tool}, which the runtime stage does not install (the Temurin JRE image has no curl or wget)`);
  },

  // a build without the build arg SERVICE or PORT stops while the Dockerfile is read (${NAME:?...} at the first use),
  // not after minutes of Maven, or with an image that has no port
  "dockerfile-required-args"(file, composeFile) {
    const args = buildArgsOf(composeFile, SERVICES[0]);
    const firstUse = (name) => {
      const uses = dockerfile(file, args).flat().filter((x) => x.refs.includes(name));
      return uses.length ? uses[0].line : null;
    };
    for (const name of ["SERVICE", "PORT"]) {
      const without = { ...args };
      delete without[name];
      let error = null;
      try {
        dockerfile(file, without);
      } catch (e) {
        error = e;
      }
      const first = firstUse(name);
      if (!error || error.variable !== name) {
        fail(`${file}: a build without the build arg ${name} goes on${error ? ` (it stops on ${error.message})` : ""}; `
             + `use "\${${name}:?message}" where the Dockerfile first needs it`);
      } else if (first !== null && error.line > first) {
        fail(`${file}:${first}: uses ${name} before line ${error.line} requires it to be set`);
      } else {
        console.log(`  without ${name}: ${error.message}`);
      }
    }
  },

  // how the image of `service` is built and run (the Dockerfile rendered with its build args from compose.yml): the
  // -am build gets every module it needs and no other sources, exec-form java on the jar the runtime stage copies,
  // libs/ beside it, numeric non-root user, container-aware heap
  "dockerfile-project"(file, composeFile, service) {
    const stages = dockerfile(file, buildArgsOf(composeFile, service));
    if (stages.length !== 2) fail(`${file}: expected 2 stages (Maven build, JRE runtime), found ${stages.length}`);
    const [build = [], run = []] = stages;
    if (!/^maven:\S*eclipse-temurin-25\S*\s+AS\s+\S+/i.test((build[0] || {}).args || "")) fail(`${file}: stage 1 must be FROM maven:*-eclipse-temurin-25* AS <name>`);
    if (!/^eclipse-temurin:25[.\d]*-jre/.test((run[0] || {}).args || "")) fail(`${file}: stage 2 must be FROM eclipse-temurin:25-jre*`);
    const mvn = build.filter((x) => x.op === "RUN" && /\bmvn\b/.test(x.args));
    if (mvn.length !== 1 || !mvn[0].args.includes(`mvn -B -q -pl ${service} -am package -DskipTests`)) {
      fail(`${file}: the build must run 'mvn -B -q -pl ${service} -am package -DskipTests'`);
    }
    const copied = build.filter((x) => x.op === "COPY" && !x.words.some((w) => w.startsWith("--from"))).flatMap((x) => copyPaths(x).sources);
    const parent = fs.readFileSync(path.join(ROOT, "pom.xml"), "utf8");
    const modules = [...parent.matchAll(/<module>([^<]+)<\/module>/g)].map((m) => m[1]);
    for (const pom of ["pom.xml", ...modules.map((m) => `${m}/pom.xml`)]) {
      if (!copied.includes(pom)) fail(`${file}: does not COPY ${pom} (Maven reads every module of the parent pom, even with -pl)`);
    }
    if (fs.existsSync(path.join(ROOT, ".mvn")) && !copied.includes(".mvn")) {
      fail(`${file}: does not COPY .mvn (the Maven JVM's options: jvm.config opens the JDK compiler to error-prone)`);
    }
    const need = amModules(service, modules);
    for (const m of need) if (!copied.includes(`${m}/src`)) fail(`${file}: does not COPY ${m}/src, which '-pl ${service} -am' builds`);
    for (const m of modules) {
      if (!need.has(m) && copied.some((c) => c === m || (c.startsWith(`${m}/`) && c !== `${m}/pom.xml`))) {
        fail(`${file}: COPYs ${m} sources, which '-pl ${service} -am' does not build (a change there would rebuild the image for nothing)`);
      }
    }
    const entry = run.filter((x) => x.op === "ENTRYPOINT");
    const argv = entry.length === 1 ? entry[0].exec : null;
    const fromBuild = run.filter((x) => x.op === "COPY" && x.words.some((w) => w.startsWith("--from")));
    const jarCopy = fromBuild.find((x) => copyPaths(x).sources.some((s) => s.endsWith(`/${service}/target/${service}.jar`)));
    const libsCopy = fromBuild.find((x) => copyPaths(x).sources.some((s) => s.endsWith(`/${service}/target/libs`)));
    let jar = null;
    if (!jarCopy) fail(`${file}: the runtime stage does not copy target/${service}.jar`);
    else {
      const { dest } = copyPaths(jarCopy);
      jar = dest.endsWith("/") ? `${dest}${service}.jar` : dest;
    }
    if (!libsCopy) fail(`${file}: the runtime stage does not copy target/libs/ (the jar's Class-Path)`);
    else if (jar && path.posix.normalize(copyPaths(libsCopy).dest + "/") !== path.posix.join(path.posix.dirname(jar), "libs/")) {
      fail(`${file}: target/libs/ goes to ${copyPaths(libsCopy).dest}, not libs/ beside ${jar} (the jar's manifest Class-Path)`);
    }
    if (!Array.isArray(argv) || argv[0] !== "java") fail(`${file}: ENTRYPOINT must be the exec form ["java", ...] so that SIGTERM reaches the JVM`);
    else {
      if (!argv.some((a) => /^-XX:MaxRAMPercentage=\d+(\.\d+)?$/.test(a))) fail(`${file}: java needs -XX:MaxRAMPercentage (container-aware heap)`);
      const vars = argv.filter((a) => a.includes("$"));
      if (vars.length) {
        fail(`${file}:${entry[0].line}: ENTRYPOINT ${vars.join(" ")}: the exec form expands no variable (neither ARG nor ENV); `
             + "java would get the text as written");
      }
      const runs = argv[argv.indexOf("-jar") + 1];
      if (argv.indexOf("-jar") < 0 || (jar && runs !== jar)) fail(`${file}: ENTRYPOINT runs ${runs || "no -jar"}, but the runtime stage copies target/${service}.jar to ${jar}`);
    }
    const user = run.filter((x) => x.op === "USER").pop();
    if (!user || /^(root|0)(:|$)/.test(user.args)) fail(`${file}: the runtime stage must end as a non-root USER`);
    else if (!/^\d+(:\d+)?$/.test(user.args)) fail(`${file}: USER ${user.args} must be numeric (uid[:gid]), so that Kubernetes' runAsNonRoot can verify it`);
    const stop = run.find((x) => x.op === "STOPSIGNAL");
    if (stop && stop.args !== "SIGTERM") fail(`${file}: STOPSIGNAL must be SIGTERM (the JVM's graceful shutdown)`);
  },

  // compose wiring: databases, health-gated start, images built from the one Dockerfile for the service, service URLs,
  // mounts of files that exist
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
      if (!svc.build || svc.build.context !== "." || svc.build.dockerfile !== "Dockerfile") {
        fail(`${service}: build must be context '.' with dockerfile Dockerfile (the one Dockerfile of every service)`);
      }
      const args = buildArgsOf(composeFile, service);
      if (args.SERVICE !== service) fail(`${service}: build arg SERVICE is ${args.SERVICE === undefined ? "missing" : args.SERVICE}, must be ${service}`);
      const grace = String(svc.stop_grace_period || "10s").match(/^(\d+)s$/);
      if (!grace || Number(grace[1]) <= 12) fail(`${service}: stop_grace_period must exceed drain (2s) + grace period (10s)`);
    }
    const order = envOf(services["order-service"] || {});
    if (order.ORDER_SERVICE_USER_SERVICE_URL !== "http://user-service:8081") fail("order-service: ORDER_SERVICE_USER_SERVICE_URL must be http://user-service:8081");
    for (const s of ["user-service", "order-service"]) {
      const v = `${s.replace(/-/g, "_").toUpperCase()}_AUDIT_URL`;
      if (envOf(services[s] || {})[v] !== "http://audit-log-service:8083") fail(`${s}: ${v} must be http://audit-log-service:8083`);
    }
    // the secrets compose sets are ones the services accept outside the local profile (the client secrets:
    // compose-auth); the database roles: each database creates its owner and the service's own role
    // (compose/postgres-roles.sh), the service connects as its role and migrates as the owner, never as the superuser
    acceptedSecret(services, "audit-log-service", "AUDIT_LOG_SERVICE_INTEGRITY_KEY", 32);
    const signingKey = acceptedSecret(services, "audit-log-service", "AUDIT_LOG_SERVICE_SIGNING_KEY", 1);
    let jwk = null;
    try { jwk = JSON.parse(signingKey); } catch { /* reported below */ }
    if (signingKey && !(jwk && jwk.kty === "EC" && jwk.crv === "P-256" && jwk.d && jwk.x && jwk.y)) {
      fail("audit-log-service: AUDIT_LOG_SERVICE_SIGNING_KEY must be an ECDSA P-256 private JWK (kty EC, crv P-256, d, x, y)");
    }
    // the audit trail's pseudonymisation key: every service that pseudonymises (its application.yaml has
    // ems.audit.pseudonymisation) needs it, and all the same one, so that an investigator checks values with one key
    const pseudonymising = Object.keys(DATABASES).filter((s) => serviceYaml(s).has("ems.audit.pseudonymisation.client"));
    if (pseudonymising.length === 0) fail("no service has ems.audit.pseudonymisation in its application.yaml");
    const pseudonymKeys = new Set(pseudonymising.map((s) => acceptedSecret(services, s, "EMS_AUDIT_PSEUDONYMISATION_KEY", 32)).filter(Boolean));
    if (pseudonymKeys.size > 1) fail(`EMS_AUDIT_PSEUDONYMISATION_KEY differs between ${pseudonymising.join(", ")} (one key per deployment)`);
    for (const [service, [db]] of Object.entries(DATABASES)) {
      const prefix = service.replace(/-/g, "_").toUpperCase();
      const denv = envOf(services[db] || {}), senv = envOf(services[service] || {});
      const roles = [["EMS_DB_SERVICE_ROLE", "DB_USER"], ["EMS_DB_SERVICE_PASSWORD", "DB_PASSWORD"],
                     ["EMS_DB_OWNER", "DB_MIGRATION_USER"], ["EMS_DB_OWNER_PASSWORD", "DB_MIGRATION_PASSWORD"]];
      for (const [dbVar, suffix] of roles) {
        const name = `${prefix}_${suffix}`;
        const value = suffix.endsWith("PASSWORD") ? acceptedSecret(services, service, name, 1) : String(senv[name] ?? "");
        if (!value || value !== String(denv[dbVar] ?? "")) fail(`${service}: ${name} differs from ${db}'s ${dbVar} (the role compose/postgres-roles.sh creates)`);
      }
      const superuser = String(denv.POSTGRES_USER ?? "postgres");
      if ([senv[`${prefix}_DB_USER`], senv[`${prefix}_DB_MIGRATION_USER`]].map(String).includes(superuser)) fail(`${service}: connects as ${db}'s superuser ${superuser}`);
      if (String(senv[`${prefix}_DB_USER`]) === String(senv[`${prefix}_DB_MIGRATION_USER`])) fail(`${service}: ${prefix}_DB_USER must not be the owner (${prefix}_DB_MIGRATION_USER)`);
      if (denv.POSTGRES_PASSWORD && Object.values(senv).map(String).includes(String(denv.POSTGRES_PASSWORD))) fail(`${service}: holds ${db}'s superuser password`);
      if (!((services[db] || {}).volumes || []).map(String).includes("./compose/postgres-roles.sh:/docker-entrypoint-initdb.d/postgres-roles.sh:ro")) {
        fail(`${db}: must mount ./compose/postgres-roles.sh:/docker-entrypoint-initdb.d/postgres-roles.sh:ro (the roles)`);
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

  // the token issuer: compose's Keycloak, the realm it imports (keycloak/ems-realm.json, or `realmFile`) and every
  // service's EMS_AUTH_* agree: the iss Keycloak writes is the services' issuer whether a token was fetched from the
  // host or inside the network, keys and token endpoint at Keycloak's in-network address, the four roles, a client
  // per service with compose's secret and a service account holding the role service, every token with the
  // audience the services expect and the roles where they read them, a demo admin and user for the password grant
  "compose-auth"(composeFile, realmFile) {
    const compose = readYaml(composeFile);
    const services = compose.services || {};
    const issuerName = Object.keys(services).find((n) => /^quay\.io\/keycloak\/keycloak(:|$)/.test(services[n].image || ""));
    if (!issuerName) { fail("no service runs quay.io/keycloak/keycloak (the token issuer)"); return; }
    const kc = services[issuerName];
    const kenv = envOf(kc);
    const w = issuerName;
    if (!/^quay\.io\/keycloak\/keycloak:26\.\d+\.\d+$/.test(kc.image)) fail(`${w}: image ${kc.image} must be pinned to a 26.x.y release`);
    const command = Array.isArray(kc.command) ? kc.command.map(String) : String(kc.command || "").split(/\s+/).filter(Boolean);
    if (!["start-dev", "start"].includes(command[0]) || !command.includes("--import-realm")) {
      fail(`${w}: command must be start-dev (or start) with --import-realm, is ${JSON.stringify(command)}`);
    }

    // where the services reach Keycloak, and the frontend URL it writes into every token's iss
    const httpPort = Number(kenv.KC_HTTP_PORT || 8080);
    const managementPort = Number(kenv.KC_HTTP_MANAGEMENT_PORT || 9000);
    let frontend = null;
    try {
      frontend = new URL(String(kenv.KC_HOSTNAME));
    } catch (e) {
      fail(`${w}: KC_HOSTNAME must be a full URL (http://localhost:<published port>): without it the iss of a token `
           + "follows the address it was fetched from, and a token from the host would not be one the services accept");
    }
    const published = (kc.ports || []).map((p) => (typeof p === "object" ? [String(p.published), String(p.target)] : String(p).split(":").slice(-2)))
      .filter(([, target]) => Number(target) === httpPort).map(([pub]) => Number(pub));
    if (frontend) {
      const port = Number(frontend.port || (frontend.protocol === "https:" ? 443 : 80));
      if (!["localhost", "127.0.0.1"].includes(frontend.hostname)) {
        fail(`${w}: KC_HOSTNAME ${kenv.KC_HOSTNAME}: the host must be localhost, where a developer fetches tokens`);
      } else if (!published.includes(port)) {
        fail(`${w}: KC_HOSTNAME ${kenv.KC_HOSTNAME} is not where compose publishes Keycloak's port ${httpPort} `
             + `(published: ${published.join(", ") || "none"}): a token fetched from the host would never carry that iss`);
      }
    }
    if (String(kenv.KC_HEALTH_ENABLED) !== "true") fail(`${w}: KC_HEALTH_ENABLED must be "true" (the health check needs /health/ready)`);
    const test = [].concat((kc.healthcheck || {}).test || []).join(" ");
    if (!test.includes("/health/ready") || !test.includes(String(managementPort))) {
      fail(`${w}: the healthcheck must ask /health/ready on the management port ${managementPort}`);
    }
    const tool = test.match(/\b(curl|wget)\b/);
    if (tool) fail(`${w}: the healthcheck uses ${tool[1]}, which the Keycloak image does not have (bash's /dev/tcp does it)`);

    // the realm compose imports
    const mount = (kc.volumes || []).map(String).find((v) => (v.split(":")[1] || "").startsWith("/opt/keycloak/data/import/"));
    if (!mount) { fail(`${w}: no realm file mounted into /opt/keycloak/data/import/ (where --import-realm reads)`); return; }
    const file = realmFile || path.join(ROOT, mount.split(":")[0]);
    let realm;
    try {
      realm = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      fail(`${file}: not JSON: ${e.message}`);
      return;
    }
    const name = realm.realm;
    if (!name || realm.enabled === false) fail(`${file}: no enabled realm`);
    const roles = ((realm.roles || {}).realm || []).map((r) => r.name);
    for (const r of ["admin", "auditor", "user", "service"]) if (!roles.includes(r)) fail(`${file}: realm role ${r} is missing`);
    const clients = realm.clients || [];
    const users = realm.users || [];
    const mappers = (c, type) => (c.protocolMappers || []).filter((m) => m.protocolMapper === type && m.protocol !== "saml");
    const inAccessToken = (m) => String((m.config || {})["access.token.claim"]) === "true";

    const issuer = frontend ? `${String(kenv.KC_HOSTNAME).replace(/\/+$/, "")}/realms/${name}` : null;
    const internal = `http://${issuerName}:${httpPort}/realms/${name}/protocol/openid-connect`;
    const audiences = new Set();
    const rolesClaims = new Set();
    for (const service of SERVICES) {
      const svc = services[service];
      if (!svc) { fail(`no service ${service}`); continue; }
      const env = envOf(svc);
      const local = serviceYaml(service, "local");
      const setting = (key) => authSetting(env, service, key);
      for (const key of AUTH_KEYS) {
        const { name: variable, value } = setting(key);
        if (value === undefined || value === "") fail(`${service}: ${variable} is not set (the service does not start without it)`);
        else if (key !== "audience" && key !== "roles.claim" && local.get(`ems.auth.${key}`) === value) {
          fail(`${service}: ${variable} is the local profile's issuer (${value}), which the service refuses here`);
        }
      }
      const want = { issuer, "jwks.uri": `${internal}/certs`, "token.uri": `${internal}/token` };
      for (const [key, expected] of Object.entries(want)) {
        const { name: variable, value } = setting(key);
        if (expected !== null && value !== undefined && value !== expected) {
          fail(`${service}: ${variable} is ${value}, but ${key === "issuer" ? `Keycloak writes iss ${expected} into every token` : `Keycloak serves it at ${expected} inside the network`}`);
        }
      }
      if (setting("audience").value) audiences.add(setting("audience").value);
      if (setting("roles.claim").value) rolesClaims.add(setting("roles.claim").value);
      const dep = (svc.depends_on || {})[issuerName];
      if (!dep || dep.condition !== "service_healthy") fail(`${service}: must depend on ${issuerName} with condition: service_healthy`);

      // a service with client credentials (<service>.auth.client in its application.yaml): its client in the realm
      const prefix = service.replace(/-/g, "_").toUpperCase();
      const yamlId = serviceYaml(service).get(`${service.replace(/-/g, ".")}.auth.client.id`);
      if (yamlId === undefined) continue;
      const clientId = String(env[`${prefix}_AUTH_CLIENT_ID`] ?? yamlId);
      const secret = acceptedSecret(services, service, `${prefix}_AUTH_CLIENT_SECRET`, 16);
      const client = clients.find((c) => c.clientId === clientId);
      if (!client) { fail(`${file}: no client ${clientId} (${service}'s client credentials)`); continue; }
      if (client.enabled === false || client.publicClient !== false || client.serviceAccountsEnabled !== true
          || (client.clientAuthenticatorType || "client-secret") !== "client-secret") {
        fail(`${file}: client ${clientId} must be enabled, confidential (publicClient false, client-secret) with serviceAccountsEnabled`);
      }
      if (secret && client.secret !== secret) fail(`${service}: ${prefix}_AUTH_CLIENT_SECRET differs from the secret of client ${clientId} in ${file}`);
      const account = users.find((u) => u.serviceAccountClientId === clientId);
      if (!account || !(account.realmRoles || []).includes("service")) {
        fail(`${service}: the service account of client ${clientId} lacks the realm role service in ${file} (its tokens would carry no EMS role)`);
      }
    }

    // every client's tokens are for EMS: the audience the services check, the roles where they read them
    const scopes = realm.clientScopes;
    for (const client of clients) {
      const c = `${file}: client ${client.clientId}`;
      for (const aud of audiences) {
        if (!mappers(client, "oidc-audience-mapper").some((m) => (m.config || {})["included.custom.audience"] === aud && inAccessToken(m))) {
          fail(`${c}: no oidc-audience-mapper puts aud ${aud} (the services' EMS_AUTH_AUDIENCE) into its access tokens`);
        }
      }
      for (const claim of rolesClaims) {
        if (claim === "realm_access.roles") {
          // Keycloak's built-in client scope "roles" writes it; the realm has it unless it lists scopes without it
          const listed = (list) => list === undefined || list.includes("roles");
          if ((scopes !== undefined && !scopes.some((s) => s.name === "roles")) || !listed(client.defaultClientScopes)) {
            fail(`${c}: the roles claim realm_access.roles needs Keycloak's client scope "roles" among its default scopes`);
          }
        } else if (!mappers(client, "oidc-usermodel-realm-role-mapper").some((m) => (m.config || {})["claim.name"] === claim
            && String((m.config || {}).multivalued) === "true" && inAccessToken(m))) {
          fail(`${c}: no oidc-usermodel-realm-role-mapper writes the realm roles into claim ${claim} (the services' EMS_AUTH_ROLES_CLAIM)`);
        }
      }
    }
    // people: a client for the password grant (curl), a demo admin and a demo user who can use it
    if (!clients.some((c) => c.enabled !== false && c.directAccessGrantsEnabled === true)) {
      fail(`${file}: no client with directAccessGrantsEnabled (the README's curl gets a user's token with the password grant)`);
    }
    for (const role of ["admin", "user"]) {
      const u = users.find((x) => !x.serviceAccountClientId && (x.realmRoles || []).includes(role));
      if (!u) { fail(`${file}: no demo user with the realm role ${role}`); continue; }
      const password = (u.credentials || []).find((x) => x.type === "password" && x.value && x.temporary !== true);
      if (u.enabled === false || !password) fail(`${file}: user ${u.username} must be enabled with a password that is not temporary`);
      // Keycloak's user profile requires these: without them the password grant answers "Account is not fully set up"
      for (const attr of ["email", "firstName", "lastName"]) if (!u[attr]) fail(`${file}: user ${u.username} has no ${attr}`);
    }
  },

  // the dashboard parses, every panel has a query, queries use the provisioned datasources (Prometheus; Zipkin for the
  // trace panel, which shows the trace whose id is in the dashboard's trace_id box)
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
    const traces = real.filter((p) => p.type === "traces");
    if (!traces.length) fail(`${file}: no trace panel (type traces)`);
    if (!((d.templating || {}).list || []).some((v) => v.name === "trace_id" && v.type === "textbox")) fail(`${file}: no trace_id textbox`);
    for (const p of traces) {
      const ok = (p.targets || []).some((t) => ((t.datasource || p.datasource || {}).uid === "zipkin") && t.queryType === "traceID" && t.query === "$trace_id");
      if (!ok) fail(`${file}: trace panel "${p.title}" must query datasource uid 'zipkin' by traceID $trace_id`);
    }
    for (const p of real.filter((x) => x.type !== "traces")) {
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
    const compose = readYaml(composeFile);
    const zipkin = sources.find((s) => s.uid === "zipkin");
    if (!zipkin || zipkin.type !== "zipkin" || zipkin.url !== "http://zipkin:9411") fail("datasources: need uid zipkin, type zipkin, url http://zipkin:9411");
    else if (!(compose.services || {}).zipkin) fail("datasources: zipkin points at http://zipkin:9411 but compose.yml has no service zipkin");
    const providers = read("dashboards").flatMap((y) => y.providers || []);
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
