import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Creates a blob container on Azurite if it does not exist yet, with the JDK alone (no SDK on the
 * class path): one Create Container request signed with the account's shared key. ./platform runs
 * it after starting Azurite ({@code ./platform up --storage azurite}):
 *
 * <pre>java tools/azurite/CreateContainer.java http://127.0.0.1:10000/devstoreaccount1 devstoreaccount1 KEY lake</pre>
 *
 * Exit 0 when the container exists afterwards (created now or before).
 */
public class CreateContainer {

    private static final String VERSION = "2021-08-06";

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: CreateContainer <blob endpoint> <account> <base64 key> <container>");
            System.exit(2);
        }
        String endpoint = args[0].replaceAll("/+$", "");
        String account = args[1];
        byte[] key = Base64.getDecoder().decode(args[2]);
        String container = args[3];

        String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US).format(ZonedDateTime.now(ZoneOffset.UTC));
        // Shared Key string-to-sign for the Blob service: verb, eleven empty standard headers (a zero
        // Content-Length is empty since 2015-02-21), the x-ms-* headers, the canonical resource. On
        // a path-style (emulator) endpoint the resource repeats the account: /account/account/container.
        String path = URI.create(endpoint).getPath() + "/" + container;
        String toSign = "PUT\n\n\n\n\n\n\n\n\n\n\n\n"
                + "x-ms-date:" + date + "\n"
                + "x-ms-version:" + VERSION + "\n"
                + "/" + account + path + "\nrestype:container";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));

        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/" + container + "?restype=container"))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .header("x-ms-date", date)
                .header("x-ms-version", VERSION)
                .header("Authorization", "SharedKey " + account + ":" + signature)
                .build();
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 201 || status == 409) { // created, or ContainerAlreadyExists
            System.out.println("container " + container + (status == 201 ? " created" : " exists"));
            return;
        }
        System.err.println("creating container " + container + " failed: HTTP " + status + "\n" + response.body());
        System.exit(1);
    }
}
