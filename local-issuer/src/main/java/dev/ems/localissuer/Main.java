package dev.ems.localissuer;

import java.nio.file.Path;
import java.util.Map;

/**
 * The local profile's token issuer, as scripts/run-local starts it: {@code http://localhost:8090} (or {@code
 * LOCAL_ISSUER_PORT}), audience {@code ems}, its key in {@code .data/local-issuer/key.json}, and the two service
 * clients with the secrets of the services' application-local.yaml.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("LOCAL_ISSUER_PORT", "8090"));
        Path keyFile = Path.of(System.getenv().getOrDefault("LOCAL_ISSUER_KEY", ".data/local-issuer/key.json"));
        LocalIssuer issuer = LocalIssuer.start(
                port,
                "ems",
                Map.of(
                        "user-service", "local-development-user-service-client-secret",
                        "order-service", "local-development-order-service-client-secret"),
                keyFile);
        Runtime.getRuntime().addShutdownHook(new Thread(issuer::close, "local-issuer-shutdown"));
        System.out.println("local token issuer on " + issuer.issuer() + " (JWKS " + issuer.jwksUri()
                + "); a token: scripts/token admin");
        Thread.currentThread().join();
    }
}
