package dev.ems.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.parameters.Parameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsFilterTest {

    @Test
    void pathParametersBecomeTheirTemplateNames() {
        Parameters params =
                Parameters.create("path", Map.of("id", java.util.List.of("8843f308-d323-40b6-bf81-8bcf3dbf3dc6")));
        assertThat(RouteLabels.route("/api/v1/users/8843f308-d323-40b6-bf81-8bcf3dbf3dc6", params))
                .isEqualTo("/api/v1/users/{id}");
    }

    @Test
    void staticRoutesKeepTheirPath() {
        assertThat(RouteLabels.route("/api/v1/users", Parameters.empty("path"))).isEqualTo("/api/v1/users");
    }

    @Test
    void parameterEqualToAStaticSegmentReplacesTheRightmostOne() {
        Parameters params = Parameters.create("path", Map.of("id", java.util.List.of("users")));
        assertThat(RouteLabels.route("/api/v1/users/users", params)).isEqualTo("/api/v1/users/{id}");
    }
}
