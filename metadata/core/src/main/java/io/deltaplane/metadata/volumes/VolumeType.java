package io.deltaplane.metadata.volumes;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;

/** Unity Catalog's volume types: whose the directory is. */
public enum VolumeType {
    /** The platform places the directory, and deletes it after a drop (after the retention). */
    MANAGED,
    /** The creator names the directory, under an external location; a drop leaves its files. */
    EXTERNAL;

    /** {@code MANAGED} or {@code EXTERNAL} (400 otherwise, naming the field). */
    public static VolumeType parse(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "volume_type is required (MANAGED or EXTERNAL).");
        }
        try {
            return valueOf(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "volume_type must be MANAGED or EXTERNAL, not '" + value + "'.");
        }
    }
}
