package io.deltaplane.metadata.functions;

/**
 * One input or return parameter of a function, as Unity Catalog's {@code FunctionParameterInfo}
 * has it; kept as sent, in the order sent.
 */
public record FunctionParameter(
        String name,
        String typeText,
        String typeJson,
        String typeName,
        Integer typePrecision,
        Integer typeScale,
        String typeIntervalType,
        Integer position,
        String parameterMode,
        String parameterType,
        String parameterDefault,
        String comment) {}
