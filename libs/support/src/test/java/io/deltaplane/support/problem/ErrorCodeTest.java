package io.deltaplane.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /**
     * The 5xx codes are conditions of the server, never of the request: a dependency out of reach, a
     * failure of its own, and the Iceberg metadata it cannot make (for a version it ratified) or has
     * not made for too long.
     */
    @Test
    void clientErrorsAreFourHundredsAndOnlyServerConditionsAreFiveHundreds() {
        assertThat(Arrays.stream(ErrorCode.values())
                        .filter(c -> c.status().is5xxServerError())
                        .map(ErrorCode::code))
                .containsExactlyInAnyOrder(
                        "SERVICE_UNAVAILABLE",
                        "UPSTREAM_TIMEOUT",
                        "INTERNAL_ERROR",
                        "ICEBERG_CONVERSION_FAILED",
                        "ICEBERG_METADATA_BEHIND");
    }

    /**
     * Every code is in api-conventions.md's table, in a row whose Status column starts with the
     * status the code is answered with: a client that branches on the documented status gets it.
     */
    @Test
    void theApiConventionsPageListsEveryCodeWithTheStatusItIsAnsweredWith() throws IOException {
        Map<String, String> documented = new HashMap<>();
        Pattern code = Pattern.compile("`([A-Z0-9_]+)`");
        for (String line : Files.readAllLines(Path.of("../../docs/api-conventions.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !cells[1].contains("`")) {
                continue;
            }
            Matcher m = code.matcher(cells[1]);
            while (m.find()) {
                documented.put(m.group(1), cells[2].strip());
            }
        }
        assertThat(documented).as("codes read from the page's table").hasSizeGreaterThan(40);
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(documented).as("%s is documented", c).containsKey(c.code());
            assertThat(documented.get(c.code()))
                    .as("the status documented for %s", c)
                    .startsWith(Integer.toString(c.status().value()));
        }
    }

    @Test
    void aBareStatusGetsTheCodeItHadBefore() {
        assertThat(ErrorCode.forStatus(400)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(ErrorCode.forStatus(409)).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(ErrorCode.forStatus(418)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(ErrorCode.forStatus(502)).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.fromCode("NO_SUCH_CODE")).isEmpty();
    }
}
