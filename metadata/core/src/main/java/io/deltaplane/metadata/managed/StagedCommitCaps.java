package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import org.springframework.stereotype.Component;

/**
 * How much of a staged commit the catalog takes ({@link CatalogManagedProperties#maxStagedCommitSize},
 * {@link CatalogManagedProperties#maxStagedCommitActions}). The size is checked on the length the
 * store reports before the file is read, so an engine (or anyone who can write its staging
 * directory) cannot make the catalog hold an arbitrarily large file; again on the bytes read, since
 * the file may have grown in between. Over either cap is 413 PAYLOAD_TOO_LARGE naming the cap's
 * property, and nothing is ratified.
 */
@Component
public class StagedCommitCaps {

    static final String SIZE_PROPERTY = CatalogManagedProperties.PREFIX + "max-staged-commit-size";
    static final String ACTIONS_PROPERTY = CatalogManagedProperties.PREFIX + "max-staged-commit-actions";

    private final CatalogManagedProperties properties;

    public StagedCommitCaps(CatalogManagedProperties properties) {
        this.properties = requireNonNull(properties, "properties");
    }

    /** @throws ApiException 413 when {@code length} bytes of staged commit {@code fileName} are over the size cap */
    public void checkSize(String fileName, long length) {
        long cap = properties.maxStagedCommitSize().toBytes();
        if (length > cap) {
            throw tooLarge("staged commit " + fileName + " is " + length + " bytes, over " + SIZE_PROPERTY + " (" + cap
                    + " bytes)");
        }
    }

    /**
     * Counts the actions (non-blank lines) of {@code content} on its bytes, before any is parsed.
     *
     * @throws ApiException 413 when they are more than the action cap
     */
    public void checkActions(String fileName, byte[] content) {
        int cap = properties.maxStagedCommitActions();
        long lines = nonBlankLines(content);
        if (lines > cap) {
            throw tooLarge("staged commit " + fileName + " has " + lines + " actions, over " + ACTIONS_PROPERTY + " ("
                    + cap + ")");
        }
    }

    /**
     * Lines holding anything but ASCII blanks. Other whitespace makes a line blank to the parser but
     * not here: such a line is counted rather than missed, so the cap still bounds what is parsed.
     */
    static long nonBlankLines(byte[] content) {
        long lines = 0;
        boolean blank = true;
        for (byte b : content) {
            if (b == '\n') {
                lines += blank ? 0 : 1;
                blank = true;
            } else if (blank && b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) {
                blank = false;
            }
        }
        return lines + (blank ? 0 : 1);
    }

    private static ApiException tooLarge(String detail) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, detail + ": nothing was ratified");
    }
}
