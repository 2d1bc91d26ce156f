package io.deltaplane.metadata.storagecredentials;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.storagecredentials.StorageIdentity.AwsIamRole;
import io.deltaplane.metadata.storagecredentials.StorageIdentity.AzureManagedIdentity;
import io.deltaplane.metadata.storagecredentials.StorageIdentity.AzureServicePrincipal;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The one writer of {@code storage_credentials}. An Azure client secret's reference is written and
 * never read back: no statement here selects it.
 */
@Repository
class StorageCredentialRepository {

    // The owner (platform.owners) comes with the row: a page of credentials is one statement.
    static final String COLUMNS = "SELECT c.id, c.name, c.purpose, c.kind, c.role_arn, c.external_id,"
            + " c.directory_id, c.application_id, c.access_connector_id, c.managed_identity_id, c.comment,"
            + " (SELECT o.owner FROM platform.owners o WHERE o.securable_type = 'credential'"
            + " AND o.securable_name = c.name),"
            + " c.created_at, c.created_by, c.updated_at, c.updated_by FROM storage_credentials c";
    static final String BY_NAME = COLUMNS + " WHERE c.name = ?";
    static final String PAGE = COLUMNS + " WHERE c.name > ? AND (CAST(? AS text) IS NULL OR c.purpose = ?)"
            + " AND (CAST(? AS text[]) IS NULL OR c.name = ANY(CAST(? AS text[]))) ORDER BY c.name LIMIT ?";
    static final String INSERT = """
            INSERT INTO storage_credentials (id, name, purpose, kind, role_arn, external_id, directory_id,
                application_id, client_secret_reference, access_connector_id, managed_identity_id, comment,
                created_at, created_by, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String UPDATE = """
            UPDATE storage_credentials SET name = ?, comment = ?, updated_at = ?, updated_by = ?
            WHERE name = ?""";
    static final String UPDATE_IDENTITY = """
            UPDATE storage_credentials SET kind = ?, role_arn = ?, external_id = ?, directory_id = ?,
                application_id = ?, client_secret_reference = ?, access_connector_id = ?, managed_identity_id = ?
            WHERE name = ?""";
    static final String DELETE = "DELETE FROM storage_credentials WHERE name = ?";
    /** An external location naming the credential, if any (what a delete without force is refused for). */
    static final String NAMED_BY = """
            SELECT e.name FROM external_locations e JOIN storage_credentials c ON c.id = e.credential_id
            WHERE c.name = ? ORDER BY e.name LIMIT 1""";

    private final JdbcClient jdbc;

    StorageCredentialRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    void insert(UUID id, String name, String purpose, StorageIdentity identity, String comment, String by, Instant at) {
        Timestamp now = Timestamp.from(at);
        Object[] shape = shape(identity);
        try {
            jdbc.sql(INSERT)
                    .params(
                            id, name, purpose, shape[0], shape[1], shape[2], shape[3], shape[4], shape[5], shape[6],
                            shape[7], comment, now, by, now, by)
                    .update();
        } catch (DuplicateKeyException e) {
            throw alreadyExists(name);
        }
    }

    StorageCredential require(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    Optional<StorageCredential> find(String name) {
        return jdbc.sql(BY_NAME)
                .param(name)
                .query(StorageCredentialRepository::row)
                .optional();
    }

    /** Names after {@code after} in name order, of {@code purpose} when not null, only {@code only} when not null. */
    List<StorageCredential> page(String after, String purpose, String[] only, int limit) {
        return jdbc.sql(PAGE)
                .params(after, purpose, purpose, only, only, limit)
                .query(StorageCredentialRepository::row)
                .list();
    }

    /** Name and comment as given; 409 when the new name is taken, 404 when there is none. */
    void update(String name, String newName, String comment, String by, Instant at) {
        int updated;
        try {
            updated = jdbc.sql(UPDATE)
                    .params(newName, comment, Timestamp.from(at), by, name)
                    .update();
        } catch (DuplicateKeyException e) {
            throw alreadyExists(newName);
        }
        if (updated == 0) {
            throw notFound(name);
        }
    }

    /** Another identity (of any shape) for the credential. */
    void updateIdentity(String name, StorageIdentity identity) {
        Object[] shape = shape(identity);
        Object[] params = new Object[shape.length + 1];
        System.arraycopy(shape, 0, params, 0, shape.length);
        params[shape.length] = name;
        if (jdbc.sql(UPDATE_IDENTITY).params(params).update() == 0) {
            throw notFound(name);
        }
    }

    Optional<String> namedBy(String name) {
        return jdbc.sql(NAMED_BY).param(name).query(String.class).optional();
    }

    void delete(String name) {
        if (jdbc.sql(DELETE).param(name).update() == 0) {
            throw notFound(name);
        }
    }

    static ApiException notFound(String name) {
        return ApiException.notFound(ErrorCode.CREDENTIAL_NOT_FOUND, "Storage credential not found: " + name + ".");
    }

    private static ApiException alreadyExists(String name) {
        return ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Storage credential already exists: " + name + ".");
    }

    /**
     * The shape's columns: kind, role_arn, external_id, directory_id, application_id,
     * client_secret_reference, access_connector_id, managed_identity_id.
     */
    private static Object[] shape(StorageIdentity identity) {
        if (identity instanceof AwsIamRole aws) {
            return new Object[] {aws.kind(), aws.roleArn(), aws.externalId(), null, null, null, null, null};
        }
        if (identity instanceof AzureServicePrincipal sp) {
            return new Object[] {
                sp.kind(), null, null, sp.directoryId(), sp.applicationId(), sp.clientSecretReference(), null, null
            };
        }
        AzureManagedIdentity mi = (AzureManagedIdentity) identity;
        return new Object[] {mi.kind(), null, null, null, null, null, mi.accessConnectorId(), mi.managedIdentityId()};
    }

    private static StorageCredential row(ResultSet rs, int n) throws SQLException {
        StorageIdentity identity = switch (rs.getString(4)) {
            case "aws_iam_role" -> new AwsIamRole(rs.getString(5), rs.getString(6));
            case "azure_service_principal" -> new AzureServicePrincipal(rs.getString(7), rs.getString(8), null);
            case "azure_managed_identity" -> new AzureManagedIdentity(rs.getString(9), rs.getString(10));
            default -> throw new IllegalStateException("unknown credential kind " + rs.getString(4));
        };
        return new StorageCredential(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                identity,
                rs.getString(11),
                rs.getString(12),
                rs.getTimestamp(13).toInstant(),
                rs.getString(14),
                rs.getTimestamp(15).toInstant(),
                rs.getString(16));
    }
}
