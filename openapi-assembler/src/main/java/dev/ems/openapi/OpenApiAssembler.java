package dev.ems.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Builds the OpenAPI document a service serves at {@code /openapi}: the service's own document
 * ({@code src/main/openapi/openapi.yaml}, a complete OpenAPI 3.0.3 document whose {@code components} hold only what
 * is particular to the service) plus the components every EMS service shares, written once in
 * {@value #COMMON} (envelope, error, meta, common parameters, headers and error responses).
 * <p>
 * Run at build time (exec-maven-plugin, phase {@code process-classes}) with two arguments, the service's source and
 * the output ({@code target/classes/META-INF/openapi.yaml}, where Helidon's OpenAPI feature finds it). It fails,
 * and with it the build, when
 * <ul>
 *   <li>a component name is defined both in the shared components and in the service's document;</li>
 *   <li>a {@code $ref} does not resolve in the assembled document (only local {@code #/...} references are allowed);</li>
 *   <li>the document holds a null value: Helidon 4.1.7 writes a null as {@code !!null "null"} when it converts the
 *       document to JSON ({@code Accept: application/json}), which is not JSON, so no null may appear anywhere
 *       (an example shows a nullable field with a value instead);</li>
 *   <li>a map key is not a plain scalar.</li>
 * </ul>
 * Map keys that YAML reads as numbers (response codes written {@code 200:}) become strings, and timestamps stay the
 * strings they were written as.
 */
public final class OpenApiAssembler {
    /** The shared components, on the classpath (in this module's jar). */
    public static final String COMMON = "openapi/common.yaml";

    private static final String HEADER =
            "# Generated at build time by dev.ems.openapi.OpenApiAssembler from the service's\n"
                    + "# src/main/openapi/openapi.yaml and ems-openapi-assembler's " + COMMON
                    + ". Edit those, not this file.\n";

    private OpenApiAssembler() {}

    /**
     * Writes a service's assembled OpenAPI document, or fails the build when it is broken.
     *
     * @param args the service's OpenAPI source file and the file to write
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: OpenApiAssembler <service openapi.yaml> <output openapi.yaml>");
        }
        Path source = Path.of(args[0]);
        Path output = Path.of(args[1]);
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("no OpenAPI source at " + source
                    + " (every service documents its API there; see dev.ems.openapi.OpenApiAssembler)");
        }
        String assembled = assemble(Files.readString(source, StandardCharsets.UTF_8), source.toString(), common());
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, assembled, StandardCharsets.UTF_8);
        System.out.println("OpenAPI: " + source + " + " + COMMON + " -> " + output);
    }

    /** The shared components' text, from the classpath. */
    public static String common() {
        try (InputStream in = OpenApiAssembler.class.getClassLoader().getResourceAsStream(COMMON)) {
            if (in == null) {
                throw new IllegalStateException(COMMON + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The assembled document as YAML.
     *
     * @param serviceYaml the service's document
     * @param serviceName where it comes from (for messages)
     * @param commonYaml  the shared components (a fragment with {@code components} only)
     */
    public static String assemble(String serviceYaml, String serviceName, String commonYaml) {
        Map<String, Object> service = load(serviceYaml, serviceName);
        Map<String, Object> common = load(commonYaml, COMMON);
        if (!common.keySet().equals(Set.of("components"))) {
            throw new IllegalStateException(COMMON + " must hold components only, found " + common.keySet());
        }
        if (!(service.get("openapi") instanceof String version) || !version.startsWith("3.")) {
            throw new IllegalStateException(serviceName + ": not an OpenAPI 3 document (no 'openapi: 3.x')");
        }
        Map<String, Object> components =
                new LinkedHashMap<>(map(service.getOrDefault("components", Map.of()), serviceName + " components"));
        map(common.get("components"), COMMON + " components").forEach((section, value) -> {
            Map<String, Object> shared = map(value, COMMON + " components." + section);
            Map<String, Object> merged = new LinkedHashMap<>(shared);
            map(components.getOrDefault(section, Map.of()), serviceName + " components." + section)
                    .forEach((name, def) -> {
                        if (merged.containsKey(name)) {
                            throw new IllegalStateException(
                                    "components." + section + "." + name + " is defined both in " + COMMON + " and in "
                                            + serviceName + ": a shared component is written once");
                        }
                        merged.put(name, def);
                    });
            components.put(section, merged);
        });
        Map<String, Object> document = new LinkedHashMap<>(service);
        document.put("components", components);

        List<String> problems = new ArrayList<>();
        check(document, document, "", problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "the OpenAPI document of " + serviceName + " is broken:\n  " + String.join("\n  ", problems));
        }
        return HEADER + dumper().dump(document);
    }

    /** Nulls, unresolved references. */
    private static void check(Object node, Map<String, Object> root, String path, List<String> problems) {
        if (node == null) {
            problems.add(path
                    + ": null (Helidon's JSON form of the document cannot carry a null; leave it out or give a value)");
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String here = path + "/" + key;
                if ("$ref".equals(key)) {
                    if (!(value instanceof String ref)) {
                        problems.add(here + ": must be a string");
                    } else if (resolve(root, ref) == null) {
                        problems.add(here + ": '" + ref + "' does not resolve");
                    }
                } else {
                    check(value, root, here, problems);
                }
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), root, path + "/" + i, problems);
            }
        }
    }

    /** The node a local reference ({@code #/a/b~1c}) names, or null. */
    static Object resolve(Map<String, Object> root, String ref) {
        if (!ref.startsWith("#/")) {
            return null; // external references are not used: each document is self-contained once assembled
        }
        Object node = root;
        for (String raw : ref.substring(2).split("/", -1)) {
            String token = raw.replace("~1", "/").replace("~0", "~");
            if (node instanceof Map<?, ?> map && map.containsKey(token)) {
                node = map.get(token);
            } else if (node instanceof List<?> list
                    && token.matches("[0-9]+")
                    && Integer.parseInt(token) < list.size()) {
                node = list.get(Integer.parseInt(token));
            } else {
                return null;
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalStateException(what + " must be a map");
    }

    /** Parses YAML with string keys, and timestamps left as strings. */
    private static Map<String, Object> load(String yaml, String what) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml loader = new Yaml(
                new SafeConstructor(options),
                new Representer(new DumperOptions()),
                new DumperOptions(),
                options,
                new NoTimestamps());
        Object loaded;
        try {
            loaded = loader.load(yaml);
        } catch (RuntimeException e) {
            throw new IllegalStateException(what + ": not valid YAML: " + e.getMessage(), e);
        }
        return map(stringKeys(loaded, what), what);
    }

    private static Object stringKeys(Object node, String what) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                if (key instanceof Map || key instanceof List || key == null) {
                    throw new IllegalStateException(what + ": a map key must be a plain scalar, found " + key);
                }
                if (out.put(String.valueOf(key), stringKeys(value, what)) != null) {
                    throw new IllegalStateException(what + ": key '" + key + "' given twice");
                }
            });
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(item -> stringKeys(item, what)).toList();
        }
        return node;
    }

    /**
     * Block YAML; the default resolver quotes every string that would read back as something else. No anchors and
     * aliases: a node met twice (the one empty list every {@code []} loads as) is written out twice, since Helidon's
     * JSON form of the document would carry the anchor ({@code &id001}) into the JSON.
     */
    private static Yaml dumper() {
        DumperOptions options = new DumperOptions();
        options.setDereferenceAliases(true);
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(options);
    }

    /** YAML 1.1's implicit types without timestamps: {@code 2026-11-24T10:00:00Z} in an example stays a string. */
    private static final class NoTimestamps extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
            addImplicitResolver(Tag.YAML, YAML, "!&*");
        }
    }
}
