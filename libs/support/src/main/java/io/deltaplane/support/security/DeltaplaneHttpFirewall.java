package io.deltaplane.support.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall} (no {@code ;} parameters, no encoded {@code /},
 * {@code \}, {@code .} or {@code %}, no {@code //}, {@code /./} or {@code /../}, no NUL or control
 * characters), plus one rule of ours: no percent-encoded letter, digit or {@code -._~} anywhere in
 * the path. Those never need encoding, so a client that encodes them is trying to make the path
 * read differently to different layers — the way {@code /api/v1/%61dmin} used to reach the admin
 * API with a read key.
 */
public final class DeltaplaneHttpFirewall implements HttpFirewall {

    private final StrictHttpFirewall strict = new StrictHttpFirewall();

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
        rejectEncodedUnreserved(request.getRequestURI());
        return strict.getFirewalledRequest(request);
    }

    @Override
    public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
        return strict.getFirewalledResponse(response);
    }

    static void rejectEncodedUnreserved(String rawPath) {
        if (rawPath == null) {
            return;
        }
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (i + 2 >= rawPath.length()) {
                throw new RequestRejectedException("The request path has a malformed percent-encoding.");
            }
            int value = hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2));
            if (value < 0) {
                throw new RequestRejectedException("The request path has a malformed percent-encoding.");
            }
            char c = (char) value;
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~') {
                throw new RequestRejectedException(
                        "The request path percent-encodes '" + c + "', which never needs encoding.");
            }
        }
    }

    private static int hex(char c) {
        int digit = Character.digit(c, 16);
        return digit < 0 ? -1000 : digit;
    }
}
