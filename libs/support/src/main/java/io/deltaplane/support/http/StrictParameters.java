package io.deltaplane.support.http;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Boolean and enum parameters must be spelled exactly: {@code true} or {@code false}, an enum
 * constant's name. Spring's binding is lenient ({@code 1}, {@code yes}, {@code on}, {@code TRUE}
 * and {@code " true"} all bind to true; enum names are trimmed), and a lenient value is how a
 * check on the raw text and the handler's bound value can disagree — the way {@code ?purge=1} once
 * purged files with a write key. Checked before the handler runs, on the raw values; anything else
 * is a 400 problem naming the parameter.
 */
public final class StrictParameters implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        for (MethodParameter parameter : method.getMethodParameters()) {
            Class<?> type = parameter.getParameterType();
            boolean bool = type == boolean.class || type == Boolean.class;
            if (!bool && !type.isEnum()) {
                continue;
            }
            String name = name(parameter);
            if (name == null) {
                continue;
            }
            for (String value : values(request, parameter, name)) {
                if (bool ? !value.equals("true") && !value.equals("false") : !isConstant(type, value)) {
                    throw new ApiException(
                            HttpStatus.BAD_REQUEST,
                            ErrorCode.BAD_REQUEST,
                            "Parameter '" + name + "' must be " + expected(type) + ".");
                }
            }
        }
        return true;
    }

    private static String name(MethodParameter parameter) {
        RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
        if (query != null) {
            String name = query.name().isEmpty() ? query.value() : query.name();
            return name.isEmpty() ? parameter.getParameterName() : name;
        }
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        if (path != null) {
            String name = path.name().isEmpty() ? path.value() : path.name();
            return name.isEmpty() ? parameter.getParameterName() : name;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static String[] values(HttpServletRequest request, MethodParameter parameter, String name) {
        if (parameter.hasParameterAnnotation(PathVariable.class)) {
            Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
            String value = variables instanceof Map<?, ?> map ? (String) ((Map<String, String>) map).get(name) : null;
            return value == null ? new String[0] : new String[] {value};
        }
        String[] values = request.getParameterValues(name);
        return values == null ? new String[0] : values;
    }

    private static boolean isConstant(Class<?> type, String value) {
        return Arrays.stream(type.getEnumConstants())
                .anyMatch(c -> ((Enum<?>) c).name().equals(value));
    }

    private static String expected(Class<?> type) {
        if (!type.isEnum()) {
            return "true or false";
        }
        return "one of "
                + String.join(
                        ", ",
                        Arrays.stream(type.getEnumConstants())
                                .map(c -> ((Enum<?>) c).name())
                                .toList());
    }
}
