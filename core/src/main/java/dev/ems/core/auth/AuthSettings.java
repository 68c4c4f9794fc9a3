package dev.ems.core.auth;

import dev.ems.core.config.EnvironmentVariables;
import dev.ems.core.config.Secrets;
import dev.ems.core.config.StartupException;
import io.helidon.config.Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;

/**
 * The token issuer every EMS service trusts, from {@code ems.auth.*} ({@code EMS_AUTH_ISSUER}, {@code
 * EMS_AUTH_AUDIENCE}, {@code EMS_AUTH_JWKS_URI}, {@code EMS_AUTH_ROLES_CLAIM}, {@code EMS_AUTH_TOKEN_URI}), each of
 * which a service may override under its own prefix ({@code USER_SERVICE_AUTH_ISSUER}...). There are no defaults
 * but the roles claim's: a service without an issuer does not start. The local profile's development issuer (its
 * values in {@code application-local.yaml}) is refused outside that profile.
 *
 * @param rolesClaim the claim holding the roles, a JSON array of strings; a dotted path ({@code realm_access.roles})
 *     reaches into objects
 * @param serviceNames the EMS service name of each issuer client whose id is not that name (Auth0 and Entra ID
 *     generate client ids): client id to service name, from {@code EMS_AUTH_SERVICES}, {@code
 *     user-service=<client id>,order-service=<client id>}; empty when the clients are named as the services
 */
public record AuthSettings(
        String issuer,
        String audience,
        URI jwksUri,
        String rolesClaim,
        URI tokenUri,
        Map<String, String> serviceNames) {

    public AuthSettings {
        serviceNames = Map.copyOf(serviceNames);
    }

    /** A service's identity as EMS names it: {@code clientId}'s service name if one is set, else the id itself. */
    public String serviceName(String clientId) {
        return serviceNames.getOrDefault(clientId, clientId);
    }

    /** The settings of {@code service}: its own {@code <service>.auth.*} where set, else the shared {@code ems.auth.*}. */
    public static AuthSettings from(Config config, String service) {
        Config own = config.get(service.replace('-', '.') + ".auth");
        Config shared = config.get("ems.auth");
        return new AuthSettings(
                localOnlyChecked(own, shared, "issuer"),
                required(own, shared, "audience"),
                uri(own, shared, "jwks.uri"),
                required(own, shared, "roles.claim"),
                uri(own, shared, "token.uri"),
                serviceNames(setting(own, shared, "services")));
    }

    /** {@code <service>=<client id>} pairs, comma-separated; a client id names one service at most. */
    private static Map<String, String> serviceNames(Config setting) {
        Map<String, String> names = new HashMap<>();
        String value = setting.asString().orElse("").strip();
        if (value.isEmpty()) {
            return names;
        }
        for (String pair : value.split(",", -1)) {
            String[] parts = pair.split("=", -1);
            if (parts.length != 2
                    || parts[0].isBlank()
                    || parts[1].isBlank()
                    || names.putIfAbsent(parts[1].strip(), parts[0].strip()) != null) {
                throw new StartupException(
                        EnvironmentVariables.forKey(setting.key().toString())
                                + " is not a list of <service>=<client id> pairs, each client id once"
                                + " (user-service=...,order-service=...)");
            }
        }
        return names;
    }

    private static Config setting(Config own, Config shared, String key) {
        Config specific = own.get(key);
        return specific.exists() ? specific : shared.get(key);
    }

    private static String required(Config own, Config shared, String key) {
        Config setting = setting(own, shared, key);
        String value = setting.asString().orElse("").strip();
        if (value.isEmpty()) {
            throw new StartupException(
                    EnvironmentVariables.forKey(shared.get(key).key().toString()) + " is not set: "
                            + "the services accept only bearer tokens of a configured issuer");
        }
        return value;
    }

    /** A setting that may name the local development issuer, which only the local profile accepts. */
    private static String localOnlyChecked(Config own, Config shared, String key) {
        String value = required(own, shared, key);
        Secrets.refuseLocalDevelopmentValue(
                setting(own, shared, key), shared.get(key).key().toString());
        return value;
    }

    private static URI uri(Config own, Config shared, String key) {
        String value = localOnlyChecked(own, shared, key);
        try {
            URI uri = new URI(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new StartupException(EnvironmentVariables.forKey(
                            setting(own, shared, key).key().toString()) + " is not an http(s) URL: '" + value + "'");
        }
    }
}
