package dev.ems.core.config;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Settings that are secrets (passwords, keys). They have no value in {@code application.yaml}; the local-development
 * values live in {@code application-local.yaml} alone. Outside the {@code local} profile a secret must be set, at
 * least {@code minBytes} long (UTF-8), neither a placeholder (anything containing {@code CHANGE-ME}, as in
 * k8s/secrets.yaml) nor a value of {@code application-local.yaml}: else the service refuses to start, naming the
 * environment variable that sets it. The value itself is never logged.
 * <p>
 * Each secret may instead come from a file ({@code <key>.file}, so {@code AUDIT_LOG_SERVICE_INTEGRITY_KEY_FILE}): a
 * mounted Kubernetes or Docker secret, which then appears in no process environment. The file's content, without the
 * surrounding whitespace an editor or {@code echo} adds, is the secret. Setting both is refused: which one wins would
 * be a guess.
 */
public final class Secrets {
    private static final String LOCAL_PROFILE = "local";

    private Secrets() {}

    /** The secret at {@code setting}, checked for the active profile, or a {@link StartupException}. */
    public static String require(Config setting, int minBytes) {
        String key = setting.key().toString();
        return require(key, optional(setting).orElse(""), minBytes, localProfile(), localDevelopmentValues(key));
    }

    /**
     * The secrets at {@code setting}, separated by commas or line breaks (a file holds one per line), each checked as
     * {@link #require} checks one; none when unset. For keys kept to verify what older keys made.
     */
    public static List<String> list(Config setting, int minBytes) {
        String key = setting.key().toString();
        Set<String> localValues = localDevelopmentValues(key);
        boolean local = localProfile();
        return optional(setting).stream()
                .flatMap(value -> Arrays.stream(value.split("[,\\r\\n]+")))
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .map(value -> require(key, value, minBytes, local, localValues))
                .toList();
    }

    /**
     * What {@code setting} holds, or the content of the file {@code setting.file} names, unchecked: for what is kept
     * beside secrets without being one (the public keys of earlier signing keys).
     */
    public static Optional<String> optional(Config setting) {
        Optional<String> inline = setting.asString().filter(value -> !value.isBlank());
        Optional<String> file = setting.get("file").asString().filter(path -> !path.isBlank());
        String variable = EnvironmentVariables.forKey(setting.key().toString());
        if (inline.isPresent() && file.isPresent()) {
            throw new StartupException(variable + " and " + variable + "_FILE are both set: set one of them");
        }
        if (file.isEmpty()) {
            return inline;
        }
        try {
            return Optional.of(Files.readString(Path.of(file.get())).strip());
        } catch (IOException | RuntimeException e) {
            throw new StartupException(
                    variable + "_FILE names a file that cannot be read (" + file.get() + "): " + e.getMessage());
        }
    }

    /**
     * Stops the start when {@code setting} holds, outside the local profile, what {@code application-local.yaml} gives
     * it: a value only the local development set-up may use (its development token issuer, say), not a secret itself.
     */
    public static void refuseLocalDevelopmentValue(Config setting) {
        refuseLocalDevelopmentValue(setting, setting.key().toString());
    }

    /**
     * As {@link #refuseLocalDevelopmentValue(Config)}, against what {@code application-local.yaml} gives {@code
     * localKey}: for a per-service override ({@code user.service.auth.issuer}) of a shared setting ({@code
     * ems.auth.issuer}), which must not bring the local value in by another name.
     */
    public static void refuseLocalDevelopmentValue(Config setting, String localKey) {
        String key = setting.key().toString();
        setting.asString().ifPresent(value -> {
            if (!localProfile()
                    && (localDevelopmentValues(key).contains(value)
                            || localDevelopmentValues(localKey).contains(value))) {
                throw new StartupException(EnvironmentVariables.forKey(key)
                        + " holds the local-development value of application-local.yaml, which only the local"
                        + " profile accepts");
            }
        });
    }

    static String require(String key, String value, int minBytes, boolean localProfile, Set<String> localValues) {
        String variable = EnvironmentVariables.forKey(key);
        if (value.isBlank()) {
            throw new StartupException(variable + " is not set (" + key + "): set it to a secret of at least "
                    + minBytes + (minBytes == 1 ? " byte" : " bytes"));
        }
        if (localValues.contains(value)) {
            if (localProfile) {
                return value;
            }
            throw new StartupException(
                    variable + " holds the local-development value of application-local.yaml, which only"
                            + " the local profile accepts: set a secret of your own");
        }
        String folded = value.toLowerCase(Locale.ROOT);
        if (folded.contains("change-me") || folded.contains("changeme")) {
            throw new StartupException(variable + " is a placeholder (CHANGE-ME...): set a real secret");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < minBytes) {
            throw new StartupException(
                    variable + " is too short (" + bytes + " bytes): set a secret of at least " + minBytes + " bytes");
        }
        return value;
    }

    /** The profile Helidon loads {@code application-<profile>.yaml} for (read as its MetaConfigFinder does). */
    private static boolean localProfile() {
        String profile = System.getenv("HELIDON_CONFIG_PROFILE");
        if (profile == null) {
            profile = System.getProperty("helidon.config.profile", System.getProperty("config.profile"));
        }
        return LOCAL_PROFILE.equals(profile);
    }

    /** What the {@code application-local.yaml} files on the class path give {@code key} (one per service jar). */
    private static Set<String> localDevelopmentValues(String key) {
        Set<String> values = new HashSet<>();
        try {
            for (URL url : Collections.list(Secrets.class.getClassLoader().getResources("application-local.yaml"))) {
                try (InputStream in = url.openStream()) {
                    Config local = Config.just(ConfigSources.create(
                            new String(in.readAllBytes(), StandardCharsets.UTF_8), MediaTypes.APPLICATION_X_YAML));
                    local.get(key).asString().ifPresent(values::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application-local.yaml", e);
        }
        return values;
    }
}
