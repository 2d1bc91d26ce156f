package io.deltaplane.support.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

class PageTokensTest {

    @BeforeEach
    void key() {
        PageTokens.installForTests("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    }

    @AfterEach
    void noRequest() {
        RequestContextHolder.resetRequestAttributes();
    }

    /** The current request: a path and its raw query string. */
    private static void request(String path, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setQueryString(query);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }

    @Test
    void theNextPageOfAListingAcceptsTheTokenInEachDoorsSpelling() {
        String tables = "/api/2.1/unity-catalog/iceberg/v1/catalogs/c/namespaces/s/tables";
        request(tables, "pageToken=&pageSize=50");
        String iceberg = PageTokens.encode("t049");
        request(tables, "pageSize=50&pageToken=" + iceberg);
        assertThat(PageTokens.decode(iceberg)).isEqualTo("t049");
        request(tables, "pageToken=" + iceberg);
        assertThat(PageTokens.decode(iceberg))
                .as("another page size, the same listing")
                .isEqualTo("t049");

        request("/api/v1/tables", "catalog_name=c&schema_name=s&max_results=50");
        String unity = PageTokens.encode("t049");
        request("/api/v1/tables", "schema_name=s&page_token=" + unity + "&catalog_name=c&max_results=50");
        assertThat(PageTokens.decode(unity)).isEqualTo("t049");
    }

    @Test
    void aTokenIsRefusedOnAnotherListing() {
        String tables = "/api/2.1/unity-catalog/iceberg/v1/catalogs/c/namespaces/s/tables";
        request(tables, "pageToken=");
        String token = PageTokens.encode("t049");
        for (String[] elsewhere : new String[][] {
            {"/api/2.1/unity-catalog/iceberg/v1/catalogs/c/namespaces/s2/tables", "pageToken=" + token},
            {"/api/2.1/unity-catalog/iceberg/v1/catalogs/c/namespaces", "pageToken=" + token},
            {tables, "pageToken=" + token + "&parent=s"}
        }) {
            request(elsewhere[0], elsewhere[1]);
            assertThatThrownBy(() -> PageTokens.decode(token))
                    .as(String.join("?", elsewhere))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.errorCode()).isEqualTo("INVALID_PAGE_TOKEN"));
        }
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
