#!/usr/bin/env node
// What checks/clients/run asks of an assembled OpenAPI document beyond compiling, and its broken copies:
//   node docs.mjs request-defaults FILE      every schema a request body reaches (through $ref, properties, items,
//                                            allOf/oneOf/anyOf/not, additionalProperties) has no `default:`; the query
//                                            parameters that have one are listed (they stay optional: not required)
//   node docs.mjs mutate SRC DEST JS         a copy of SRC with the JavaScript statement JS applied to its parsed
//                                            form `d` (fails if JS changed nothing)
// Exit 1 on a finding, with one line per finding.
import fs from "node:fs";
import YAML from "yaml";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const read = (file) => YAML.parse(fs.readFileSync(file, "utf8"));

function requestDefaults(file) {
  const doc = read(file);
  const resolve = (ref) => {
    if (!ref.startsWith("#/")) throw new Error(`${file}: external $ref ${ref}`);
    const node = ref.slice(2).split("/").map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((n, k) => (n === undefined || n === null ? undefined : n[k]), doc);
    if (node === undefined) throw new Error(`${file}: unresolved $ref ${ref}`);
    return node;
  };
  const findings = [];
  const seen = new Set();
  let bodies = 0;
  const walk = (schema, where) => {
    if (schema === null || typeof schema !== "object") return;
    if (typeof schema.$ref === "string") {
      if (!seen.has(schema.$ref)) {
        seen.add(schema.$ref);
        walk(resolve(schema.$ref), schema.$ref.replace("#/components/schemas/", ""));
      }
      return;
    }
    if (Object.hasOwn(schema, "default")) findings.push(`${where}: default: ${JSON.stringify(schema.default)}`);
    for (const [name, sub] of Object.entries(schema.properties ?? {})) walk(sub, `${where}.${name}`);
    if (schema.items) walk(schema.items, `${where}[]`);
    for (const key of ["allOf", "oneOf", "anyOf"]) (schema[key] ?? []).forEach((s, i) => walk(s, `${where}.${key}[${i}]`));
    if (schema.not) walk(schema.not, `${where}.not`);
    if (typeof schema.additionalProperties === "object") walk(schema.additionalProperties, `${where}.*`);
  };
  const withDefault = new Set();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      for (let p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        if (p.$ref) p = resolve(p.$ref);
        if (p.schema && Object.hasOwn(p.schema, "default")) {
          withDefault.add(`${p.in} ${p.name}`);
          if (p.required) findings.push(`${method.toUpperCase()} ${path}: parameter ${p.name} has a default but is required`);
        }
      }
      let body = op.requestBody;
      if (!body) continue;
      if (body.$ref) body = resolve(body.$ref);
      bodies++;
      for (const [type, media] of Object.entries(body.content ?? {})) {
        walk(media.schema, `${method.toUpperCase()} ${path} (${type})`);
      }
    }
  }
  for (const f of findings) console.log(`  ${file}: ${f}`);
  if (findings.length === 0) {
    console.log(`  ${bodies} request bodies, ${seen.size} schemas reached: no default; parameters with a default `
                + `(optional): ${[...withDefault].sort().join(", ") || "none"}`);
  }
  return findings.length === 0;
}

function mutate(src, dest, js) {
  const before = fs.readFileSync(src, "utf8");
  const d = YAML.parse(before);
  const original = JSON.stringify(d);
  (0, eval)("(d) => { " + js + "\n}")(d);
  if (JSON.stringify(d) === original) {
    console.error(`mutation changed nothing: ${js}`);
    return false;
  }
  fs.writeFileSync(dest, YAML.stringify(d, { lineWidth: 0 }));
  return true;
}

const [command, ...args] = process.argv.slice(2);
let ok;
try {
  if (command === "request-defaults" && args.length === 1) ok = requestDefaults(args[0]);
  else if (command === "mutate" && args.length === 3) ok = mutate(...args);
  else {
    console.error("usage: docs.mjs request-defaults FILE | mutate SRC DEST JS");
    process.exit(2);
  }
} catch (e) {
  console.log(`  ${e.message}`);
  ok = false;
}
process.exit(ok ? 0 : 1);
