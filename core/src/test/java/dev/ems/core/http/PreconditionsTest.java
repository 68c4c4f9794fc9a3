package dev.ems.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreconditionsTest {

    @Test
    void etagIsTheQuotedVersion() {
        assertThat(Preconditions.etag(7)).isEqualTo("\"7\"");
    }

    @Test
    void ifMatchNamesVersionsOrAnything() {
        assertThat(Preconditions.IfMatch.parse("\"3\"").matches(3)).isTrue();
        assertThat(Preconditions.IfMatch.parse("\"3\"").matches(4)).isFalse();
        assertThat(Preconditions.IfMatch.parse("\"1\", \"4\"").matches(4)).isTrue();
        assertThat(Preconditions.IfMatch.parse("*").matches(99)).isTrue();
    }

    @Test
    void weakAndForeignTagsMatchNothing() {
        assertThat(Preconditions.IfMatch.parse("W/\"3\"").matches(3)).isFalse();
        assertThat(Preconditions.IfMatch.parse("abc").matches(3)).isFalse();
        assertThat(Preconditions.IfMatch.parse("\"x\"").matches(3)).isFalse();
        assertThatThrownBy(() -> Preconditions.IfMatch.parse("\"2\"").check(3))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(CommonErrorCode.PRECONDITION_FAILED));
    }
}
