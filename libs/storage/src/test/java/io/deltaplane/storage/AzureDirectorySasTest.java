package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.common.StorageSharedKeyCredential;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The directory SAS an engine is given for a table on ADLS Gen2. No emulator takes a directory SAS
 * (Azurite has no hierarchical namespace), so the token is checked against Azure's documented service
 * SAS format: its fields, and its signature recomputed here from the documented string-to-sign with
 * the account key — the check Azure makes.
 */
class AzureDirectorySasTest {

    private static final String ACCOUNT = "lakeacct";
    private static final byte[] KEY = "not-a-real-key-but-base64-all-the-same".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.750Z");

    private final List<String> askedAboutNamespace = new ArrayList<>();

    private AzureDirectorySas vendor(boolean hierarchical) {
        return new AzureDirectorySas(
                Map.of(
                        ACCOUNT,
                        new StorageSharedKeyCredential(
                                ACCOUNT, Base64.getEncoder().encodeToString(KEY))),
                ACCOUNT,
                "core.windows.net",
                account -> {
                    askedAboutNamespace.add(account);
                    return hierarchical;
                },
                Duration.ofHours(1),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aReaderGetsASignedSasForTheTablesDirectoryOnlyToReadAndList() throws Exception {
        AzureDirectorySas.Vended vended =
                vendor(true).vend("abfss://lake@" + ACCOUNT + ".dfs.core.windows.net/sales/eu/orders", false);

        Map<String, String> sas = query(vended.sasToken());
        assertThat(sas)
                .containsEntry("sr", "d") // a directory ...
                .containsEntry("sdd", "3") // ... three levels below the container: sales/eu/orders
                .containsEntry("sp", "rl")
                .containsEntry("spr", "https") // never over plain HTTP
                .containsEntry("se", "2026-11-26T11:00:00Z");
        assertThat(sas.get("sv")).isGreaterThanOrEqualTo("2020-02-10"); // directory SAS exist from there
        assertThat(vended.expiration()).isEqualTo(Instant.parse("2026-11-26T11:00:00Z"));
        assertThat(sas.get("sig")).isEqualTo(signature(sas, "/blob/" + ACCOUNT + "/lake/sales/eu/orders"));
        assertThat(vended.toString()).doesNotContain(sas.get("sig"));
    }

    @Test
    void aWriterMayAlsoCreateWriteDeleteAndRenameButStillOnlyThere() throws Exception {
        Map<String, String> sas =
                query(vendor(true).vend("az://lake/sales/eu/orders", true).sasToken());
        assertThat(sas.get("sp").chars().mapToObj(c -> String.valueOf((char) c)))
                .containsExactlyInAnyOrder("r", "a", "c", "w", "d", "l", "m");
        assertThat(sas).containsEntry("sr", "d").containsEntry("sdd", "3");
        assertThat(sas.get("sig")).isEqualTo(signature(sas, "/blob/" + ACCOUNT + "/lake/sales/eu/orders"));
    }

    @Test
    void noSasWhereNoneCanBeNarrowedToTheTable() {
        assertThatThrownBy(() -> vendor(false).vend("az://lake/sales/eu/orders", false))
                .isInstanceOf(AzureDirectorySas.Unvendable.class)
                .hasMessageContaining("no hierarchical namespace");
        assertThatThrownBy(() -> vendor(true).vend("abfss://lake@otheracct.dfs.core.windows.net/t", false))
                .isInstanceOf(AzureDirectorySas.Unvendable.class)
                .hasMessageContaining("holds none for account 'otheracct'");
        assertThatThrownBy(() -> vendor(true).vend("az://lake", false))
                .isInstanceOf(AzureDirectorySas.Unvendable.class)
                .hasMessageContaining("whole container");
    }

    @Test
    void whetherAnAccountHasAHierarchicalNamespaceIsAskedOnce() {
        AzureDirectorySas vendor = vendor(true);
        vendor.vend("az://lake/a", false);
        vendor.vend("az://lake/b", true);
        assertThat(askedAboutNamespace).containsExactly(ACCOUNT);
    }

    /** Azure's service SAS string-to-sign (version 2020-12-06 and later), HMAC-SHA256 with the key. */
    private static String signature(Map<String, String> sas, String canonicalizedResource) throws Exception {
        String toSign = String.join(
                "\n",
                sas.get("sp"),
                sas.getOrDefault("st", ""),
                sas.get("se"),
                canonicalizedResource,
                sas.getOrDefault("si", ""),
                sas.getOrDefault("sip", ""),
                sas.getOrDefault("spr", ""),
                sas.get("sv"),
                sas.get("sr"),
                "", // signed snapshot time
                sas.getOrDefault("ses", ""),
                sas.getOrDefault("rscc", ""),
                sas.getOrDefault("rscd", ""),
                sas.getOrDefault("rsce", ""),
                sas.getOrDefault("rscl", ""),
                sas.getOrDefault("rsct", ""));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> query(String token) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : token.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }
}
