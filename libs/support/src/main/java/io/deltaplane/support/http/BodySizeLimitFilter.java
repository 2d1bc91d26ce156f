package io.deltaplane.support.http;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers 413 to bodies over {@link HttpProperties#maxRequestBody()}: at once when Content-Length
 * says so, or as soon as a chunked body crosses the limit while being read.
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {

    private final HttpProperties properties;
    private final HandlerExceptionResolver problemRenderer;
    private final AntPathMatcher matcher = new AntPathMatcher();

    public BodySizeLimitFilter(HttpProperties properties, HandlerExceptionResolver problemRenderer) {
        this.properties = requireNonNull(properties, "properties");
        this.problemRenderer = requireNonNull(problemRenderer, "problemRenderer");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return properties.streamingPaths().stream().anyMatch(p -> matcher.match(p, path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = properties.maxRequestBody().toBytes();
        if (request.getContentLengthLong() > limit) {
            problemRenderer.resolveException(request, response, null, new PayloadTooLargeException(limit));
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, limit), response);
        } catch (PayloadTooLargeException e) {
            // crossed while a filter read the body (before any message converter could map it)
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            problemRenderer.resolveException(request, response, null, e);
        } catch (ServletException | RuntimeException e) {
            PayloadTooLargeException tooLarge = causeOf(e);
            if (tooLarge == null || response.isCommitted()) {
                throw e;
            }
            response.reset();
            problemRenderer.resolveException(request, response, null, tooLarge);
        }
    }

    private static PayloadTooLargeException causeOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {
        private final ServletInputStream delegate;
        private final long limit;
        private long read;

        LimitedInputStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
