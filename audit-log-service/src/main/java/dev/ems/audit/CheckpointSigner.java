package dev.ems.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.ems.core.config.EnvironmentVariables;
import dev.ems.core.config.Secrets;
import dev.ems.core.config.StartupException;
import io.helidon.config.Config;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint signing keys: the current private key (ECDSA P-256) signs checkpoints as compact JWS (ES256, {@code
 * kid} = the key's id, the payload the checkpoint's other fields as JSON); earlier keys, kept after a rotation as
 * public keys only, still verify what they signed. All are published as a JWKS, so anyone can check a checkpoint with
 * a standard JOSE tool. A key's id is its {@code kid}, else its RFC 7638 thumbprint.
 * <p>
 * Unlike the integrity key, this key is never needed to read or extend the chain: it can live where the database's
 * administrators do not reach, and a checkpoint it signed stays proof of what the trail held even against someone who
 * later holds the database and the integrity key.
 */
public final class CheckpointSigner {
    private static final JOSEObjectType TYPE = new JOSEObjectType("ems-audit-checkpoint+jws");
    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    private final ECKey current;
    private final ECDSASigner signer;
    private final Map<String, ECKey> publicKeys = new LinkedHashMap<>();

    CheckpointSigner(ECKey current, List<ECKey> previous) {
        this.current = current;
        try {
            this.signer = new ECDSASigner(current);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("not an ECDSA P-256 private key", e);
        }
        publicKeys.put(current.getKeyID(), current.toPublicJWK());
        previous.forEach(key -> publicKeys.putIfAbsent(key.getKeyID(), key.toPublicJWK()));
    }

    /**
     * From {@code signing.key} (the current private key, a P-256 JWK) and {@code signing.previous.keys} (earlier keys,
     * a JWK set; only their public parts are used), each also from a file ({@code ..._FILE}).
     */
    static CheckpointSigner from(Config signing) {
        Config key = signing.get("key");
        ECKey current = ecKey(Secrets.require(key, 1), key);
        if (!current.isPrivate()) {
            throw new StartupException(variable(key) + " holds a public key: the service signs with a private one");
        }
        Config previous = signing.get("previous.keys");
        List<ECKey> earlier = new ArrayList<>();
        Secrets.optional(previous).ifPresent(json -> {
            try {
                for (JWK jwk : JWKSet.parse(json).getKeys()) {
                    earlier.add(ecKey(jwk.toJSONString(), previous));
                }
            } catch (ParseException e) {
                throw new StartupException(variable(previous) + " is not a JWK set ({\"keys\": [...]})");
            }
        });
        return new CheckpointSigner(current, earlier);
    }

    /** The id of the key that signs now. */
    String keyId() {
        return current.getKeyID();
    }

    /** The checkpoint of the chain ending at {@code seq} with {@code hash}, signed with the current key. */
    Checkpoint sign(long seq, String hash, Instant recordedAt) {
        JWSObject jws = new JWSObject(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID(keyId())
                        .type(TYPE)
                        .build(),
                new Payload(payload(seq, hash, recordedAt, keyId())));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a checkpoint", e);
        }
        return new Checkpoint(seq, hash, recordedAt, keyId(), jws.serialize());
    }

    /** Why {@code checkpoint} is not one this service signed as it stands, or empty when it is. */
    Optional<String> refusal(Checkpoint checkpoint) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(checkpoint.signature());
        } catch (ParseException e) {
            return Optional.of("signature is not a compact JWS");
        }
        ECKey key = publicKeys.get(checkpoint.keyId());
        if (key == null
                || !checkpoint.keyId().equals(jws.getHeader().getKeyID())
                || !JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
            return Optional.of("key_id names no published checkpoint key");
        }
        try {
            if (!jws.verify(new ECDSAVerifier(key))) {
                return Optional.of("signature does not verify under key " + checkpoint.keyId());
            }
        } catch (JOSEException e) {
            return Optional.of("signature does not verify under key " + checkpoint.keyId());
        }
        String signed = payload(checkpoint.seq(), checkpoint.hash(), checkpoint.recordedAt(), checkpoint.keyId());
        if (!signed.equals(jws.getPayload().toString())) {
            return Optional.of("seq, hash, recorded_at or key_id differ from what was signed");
        }
        return Optional.empty();
    }

    /** The public keys, the current one first: a JWKS document ({@code {"keys": [...]}}). */
    String publishedKeys() {
        return new JWKSet(new ArrayList<>(publicKeys.values())).toString(true);
    }

    /** What a signature covers: the checkpoint's other fields as JSON, in this order. */
    private static String payload(long seq, String hash, Instant recordedAt, String keyId) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject().write("seq", seq).write("hash", hash);
            if (recordedAt == null) {
                g.writeNull("recorded_at");
            } else {
                g.write("recorded_at", recordedAt.toString());
            }
            g.write("key_id", keyId).writeEnd();
        }
        return out.toString();
    }

    /** A P-256 key from its JWK, with its id set: its own {@code kid}, else its thumbprint. */
    private static ECKey ecKey(String json, Config setting) {
        try {
            if (!(JWK.parse(json) instanceof ECKey key) || !Curve.P_256.equals(key.getCurve())) {
                throw new StartupException(
                        variable(setting) + " holds a key that is not ECDSA P-256 (kty EC, crv P-256)");
            }
            String id = key.getKeyID() != null
                    ? key.getKeyID()
                    : key.computeThumbprint().toString();
            return new ECKey.Builder(key).keyID(id).build();
        } catch (ParseException | JOSEException e) {
            // the parser's message may quote the key: not a word of it goes to the log
            throw new StartupException(variable(setting) + " is not a JWK (JSON Web Key)");
        }
    }

    private static String variable(Config setting) {
        return EnvironmentVariables.forKey(setting.key().toString());
    }
}
