package io.deltaplane.support.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PageTokensTest {

    @BeforeEach
    void key() {
        PageTokens.installForTests("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aTokenCarriesItsCursorBackUnchanged() {
        String token = PageTokens.encode("main.sales\norders/part-0.parquet");
        assertThat(PageTokens.decode(token)).isEqualTo("main.sales\norders/part-0.parquet");
        assertThat(PageTokens.after(null)).isNull();
        assertThat(PageTokens.decode("")).isEmpty();
    }

    @Test
    void aForgedGarbledOrTruncatedTokenIsInvalid() {
        String token = PageTokens.encode("b");
        String forgedCursor = Base64.getUrlEncoder().withoutPadding().encodeToString("zzz".getBytes())
                + token.substring(token.indexOf('.'));
        for (String bad : new String[] {
            forgedCursor, token.substring(0, token.length() - 2), "garbage", "a.b.c", "%%%.%%%", token + "x", "."
        }) {
            assertThatThrownBy(() -> PageTokens.decode(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.errorCode()).isEqualTo("INVALID_PAGE_TOKEN"));
        }
    }

    @Test
    void anotherKeyRejectsTheToken() {
        String token = PageTokens.encode("b");
        PageTokens.installForTests("another key, another deployment".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> PageTokens.decode(token)).isInstanceOf(ApiException.class);
    }

    @Test
    void pageSizesAreBounded() {
        assertThat(PageTokens.limit(null)).isEqualTo(100);
        assertThat(PageTokens.limit(1000)).isEqualTo(1000);
        assertThatThrownBy(() -> PageTokens.limit(1001)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> PageTokens.limit(0)).isInstanceOf(ApiException.class);
    }
}
