package dev.ems.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.common.parameters.Parameters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The shared keyset cursor codec, the paging mode and the keyset page: round trips, strictness, the extra row. */
class CursorCodecTest {
    record Position(Instant at, UUID id) {}

    private static final CursorCodec<Position> CODEC = new CursorCodec<>(
            "t1",
            2,
            p -> List.of(CursorCodec.micros(p.at()), p.id().toString()),
            f -> new Position(CursorCodec.instant(f.get(0)), CursorCodec.uuid(f.get(1))));
    private static final CursorCodec<Long> OTHER =
            new CursorCodec<>("v1", 1, n -> List.of(Long.toString(n)), f -> CursorCodec.number(f.get(0)));

    @Test
    void roundTripsAtMicrosecondPrecisionAsOpaqueBase64Url() {
        Position p = new Position(
                Instant.parse("2026-11-24T05:31:59.669961Z"), UUID.fromString("1b1ad06c-f7b4-4346-a0e1-2fc90bd74ef1"));
        String token = CODEC.encode(p);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8))
                .isEqualTo("t1:1795498319669961:1b1ad06c-f7b4-4346-a0e1-2fc90bd74ef1");
        assertThat(CODEC.decode(token)).isEqualTo(p);
        Position early = new Position(Instant.parse("1969-12-31T23:59:59.000001Z"), p.id());
        assertThat(CODEC.decode(CODEC.encode(early))).isEqualTo(early);
    }

    @Test
    void anythingItDidNotIssueIsInvalidParameterCursor() {
        String id = "1b1ad06c-f7b4-4346-a0e1-2fc90bd74ef1";
        List<String> bad = List.of(
                "",
                "!!!",
                "abc",
                "%%%",
                b64("t1:1:" + id) + "=", // padding: never issued
                b64("t2:1:" + id),
                b64("v1:1:" + id), // another version or list
                b64("t1:1"),
                b64("t1:1:" + id + ":x"),
                b64("t1:1:" + id + ":"),
                b64(":t1:1:" + id),
                b64("t1::" + id),
                b64("t1:x:" + id),
                b64("t1:1.5:" + id),
                b64("t1:99999999999999999999:" + id),
                b64("t1:1:not-a-uuid"),
                b64("t1:1:1-1-1-1-1"),
                b64("t1:01:" + id),
                b64("t1:+1:" + id),
                b64("t1:1:" + id.toUpperCase(Locale.ROOT)), // non-canonical spellings
                OTHER.encode(5L));
        for (String token : bad) {
            assertThatThrownBy(() -> CODEC.decode(token)).as(token).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.code()).isEqualTo(CommonErrorCode.INVALID_PARAMETER);
                assertThat(e.details()).extracting(FieldError::field).containsExactly("cursor");
            });
        }
        assertThatThrownBy(() -> OTHER.decode(CODEC.encode(new Position(Instant.EPOCH, UUID.randomUUID()))))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void theModeComesFromTheParametersAndMixingIsRefused() {
        assertThat(Paging.of(query(Map.of()), Paging.NUMBERED)).isEqualTo(Paging.NUMBERED);
        assertThat(Paging.of(query(Map.of()), Paging.KEYSET)).isEqualTo(Paging.KEYSET);
        assertThat(Paging.of(query(Map.of("limit", "5")), Paging.NUMBERED)).isEqualTo(Paging.KEYSET);
        assertThat(Paging.of(query(Map.of("cursor", "x")), Paging.NUMBERED)).isEqualTo(Paging.KEYSET);
        assertThat(Paging.of(query(Map.of("page_size", "5")), Paging.KEYSET)).isEqualTo(Paging.NUMBERED);
        for (Map<String, String> mixed :
                List.of(Map.of("page", "1", "limit", "5"), Map.of("page_size", "1", "cursor", "x"))) {
            assertThatThrownBy(() -> Paging.of(query(mixed), Paging.NUMBERED))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(CommonErrorCode.INVALID_PARAMETER));
        }
    }

    @Test
    void aKeysetPageDropsTheExtraRowAndPointsAfterItsLastItem() {
        KeysetRequest<Long> request = new KeysetRequest<>(Optional.empty(), 2);
        assertThat(request.rowsToRead()).isEqualTo(3);
        KeysetPage<Long, Long> more = KeysetPage.of(List.of(1L, 2L, 3L), request, n -> n * 10);
        assertThat(more.items()).containsExactly(1L, 2L);
        assertThat(more.next()).contains(20L);
        assertThat(more.meta(OTHER)).isEqualTo(new ApiResponse.CursorMeta(2, OTHER.encode(20L)));
        KeysetPage<Long, Long> last = KeysetPage.of(List.of(1L, 2L), request, n -> n * 10);
        assertThat(last.next()).isEmpty();
        assertThat(last.meta(OTHER).nextCursor()).isNull();
        assertThat(Json.write(last.meta(OTHER))).isEqualTo("{\"limit\":2}");
        assertThat(Json.write(more.meta(OTHER)))
                .isEqualTo("{\"limit\":2,\"next_cursor\":\"" + OTHER.encode(20L) + "\"}");
    }

    @Test
    void keysetRequestReadsLimitAndCursor() {
        Position p = new Position(Instant.parse("2026-01-01T00:00:00Z"), UUID.randomUUID());
        KeysetRequest<Position> first = KeysetRequest.from(query(Map.of()), 10, 100, CODEC);
        assertThat(first).isEqualTo(new KeysetRequest<Position>(Optional.empty(), 10));
        KeysetRequest<Position> next =
                KeysetRequest.from(query(Map.of("limit", "100", "cursor", CODEC.encode(p))), 10, 100, CODEC);
        assertThat(next).isEqualTo(new KeysetRequest<>(Optional.of(p), 100));
        for (String limit : List.of("0", "101", "x", "")) {
            assertThatThrownBy(() -> KeysetRequest.from(query(Map.of("limit", limit)), 10, 100, CODEC))
                    .as(limit)
                    .isInstanceOfSatisfying(
                            ApiException.class,
                            e -> assertThat(e.details())
                                    .extracting(FieldError::field)
                                    .containsExactly("limit"));
        }
        assertThatThrownBy(() -> KeysetRequest.from(query(Map.of("cursor", "a".repeat(201))), 10, 100, CODEC))
                .isInstanceOf(ApiException.class);
    }

    private static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Parameters query(Map<String, String> values) {
        return Parameters.createSingleValueMap("query", values);
    }
}
