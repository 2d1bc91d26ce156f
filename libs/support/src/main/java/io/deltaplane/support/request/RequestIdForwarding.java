package io.deltaplane.support.request;

import java.io.IOException;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/** Puts the current request id on outgoing service-to-service calls made with a RestClient. */
public final class RequestIdForwarding implements ClientHttpRequestInterceptor {

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        String id = RequestIds.current();
        if (id != null && request.getHeaders().getFirst(RequestIds.HEADER) == null) {
            request.getHeaders().set(RequestIds.HEADER, id);
        }
        return execution.execute(request, body);
    }
}
