package dev.ems.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** order-service's own error codes are documented in its assembled OpenAPI document (what /openapi serves). */
class OrderErrorCodeTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyOrderErrorCodeIsInTheDocumentsErrorCodeEnum() throws IOException {
        try (InputStream in = OrderErrorCodeTest.class.getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
            assertThat(in)
                    .as("META-INF/openapi.yaml on the classpath (assembled in process-classes)")
                    .isNotNull();
            Map<String, Object> document = new Yaml().load(in);
            Map<String, Object> schemas =
                    (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
            List<String> documented = (List<String>) ((Map<String, Object>) schemas.get("ErrorCode")).get("enum");
            assertThat(documented)
                    .containsAll(Arrays.stream(OrderErrorCode.values())
                            .map(Enum::name)
                            .toList());
        }
    }
}
