package io.deltaplane.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class ErrorCodeTest {

    @Test
    void anApiExceptionFromACodeCarriesItsWireValueAndStatus() {
        ApiException e = new ApiException(ErrorCode.INVALID_OPENLINEAGE_EVENT, "bad event");

        assertThat(e.errorCode()).isEqualTo("INVALID_OPENLINEAGE_EVENT");
        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(ErrorCode.TABLE_NOT_FOUND.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(ErrorCode.VERSION_CONFLICT.status()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void clientErrorsAreFourHundredsAndOnlyServerConditionsAreFiveHundreds() {
        assertThat(Arrays.stream(ErrorCode.values())
                        .filter(c -> c.status().is5xxServerError())
                        .map(ErrorCode::code))
                .containsExactlyInAnyOrder("SERVICE_UNAVAILABLE", "UPSTREAM_TIMEOUT", "INTERNAL_ERROR");
    }

    @Test
    void theApiConventionsPageListsEveryCode() throws IOException {
        String page = Files.readString(Path.of("../../docs/api-conventions.md"));

        assertThat(Arrays.stream(ErrorCode.values()).map(c -> "`" + c.code() + "`"))
                .allSatisfy(code -> assertThat(page).contains(code));
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
