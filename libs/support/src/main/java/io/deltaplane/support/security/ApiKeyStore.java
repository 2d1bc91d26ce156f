package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API keys in {@code platform.api_keys}, shared by every service. Lookups are cached for at most
 * {@link #CACHE_TTL}, so a revoked key stops working everywhere within that time.
 */
public class ApiKeyStore {

    public static final Duration CACHE_TTL = Duration.ofMillis(1000);

    static final String BOOTSTRAP_ID = "bootstrap-admin";

    private static final String SELECT_COLUMNS =
            "SELECT id, name, key_prefix, scope, principal, key_hash, created_at, revoked_at FROM platform.api_keys ";
    private static final String FIND_BY_HASH = SELECT_COLUMNS + "WHERE key_hash = :hash";
    private static final String LIST = SELECT_COLUMNS + "ORDER BY created_at, id";
    private static final String LIST_OF = SELECT_COLUMNS + "WHERE principal = :principal ORDER BY created_at, id";
    private static final String FIND_BY_ID = SELECT_COLUMNS + "WHERE id = :id";
    private static final String INSERT = """
            INSERT INTO platform.api_keys (id, name, key_prefix, scope, principal, key_hash, created_at)
            VALUES (:id, :name, :prefix, :scope, :principal, :hash, :createdAt)
            """;
    private static final String UPSERT_BOOTSTRAP = """
            INSERT INTO platform.api_keys (id, name, key_prefix, scope, principal, key_hash, created_at)
            VALUES (:id, 'bootstrap admin', :prefix, 'admin', :principal, :hash, :createdAt)
            ON CONFLICT (id) DO UPDATE
               SET key_hash = EXCLUDED.key_hash, key_prefix = EXCLUDED.key_prefix, revoked_at = NULL
            """;
    private static final String REVOKE =
            "UPDATE platform.api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";

    private final JdbcClient jdbc;
    private final PrincipalStore principals;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeyStore(JdbcClient jdbc, PrincipalStore principals, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.principals = requireNonNull(principals, "principals");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The active key this plain key belongs to, if any. */
    public Optional<ApiKey> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
            return Optional.empty();
        }
        byte[] hash = ApiKeyHashing.hash(presentedKey);
        String cacheKey = java.util.HexFormat.of().formatHex(hash);
        Instant now = clock.instant();
        Cached cached = cache.get(cacheKey);
        if (cached == null || cached.expiresAt().isBefore(now)) {
            Optional<StoredKey> stored = jdbc.sql(FIND_BY_HASH)
                    .param("hash", hash)
                    .query(ApiKeyStore::mapStored)
                    .optional();
            cached = new Cached(stored, now.plus(CACHE_TTL));
            if (cache.size() > 10_000) {
                cache.clear(); // bounded: a flood of random keys must not grow memory
            }
            cache.put(cacheKey, cached);
        }
        return cached.key()
                .filter(k -> ApiKeyHashing.matches(k.hash(), hash))
                .map(StoredKey::apiKey)
                .filter(ApiKey::active);
    }

    /**
     * A key by scope alone, as before principals (the old API): it gets a service principal of its
     * own, named after the key id, in the group that carries that scope's reach ({@link
     * PrincipalStore#LEGACY_READERS}, {@link PrincipalStore#LEGACY_WRITERS}, or the metastore admins).
     */
    public CreatedApiKey create(String name, Scope scope) {
        requireNonNull(name, "name");
        requireNonNull(scope, "scope");
        String id = newId();
        principals.create(id, PrincipalType.SERVICE_PRINCIPAL);
        principals.addMember(
                switch (scope) {
                    case READ -> PrincipalStore.LEGACY_READERS;
                    case WRITE -> PrincipalStore.LEGACY_WRITERS;
                    case ADMIN -> PrincipalStore.METASTORE_ADMINS;
                },
                id);
        return insert(id, name, scope, id);
    }

    /**
     * A key acting for {@code principal}, with exactly its privileges; {@code scope} (default admin,
     * i.e. no narrowing) can make it read-only or keep it off the admin API.
     */
    public CreatedApiKey createFor(String name, String principal, Scope scope) {
        requireNonNull(name, "name");
        principals.get(principal);
        return insert(newId(), name, scope == null ? Scope.ADMIN : scope, principal);
    }

    private CreatedApiKey insert(String id, String name, Scope scope, String principal) {
        String key = ApiKeyHashing.newKey();
        ApiKey apiKey = new ApiKey(id, name, ApiKeyHashing.displayPrefix(key), scope, principal, clock.instant(), null);
        jdbc.sql(INSERT)
                .param("id", apiKey.id())
                .param("name", apiKey.name())
                .param("prefix", apiKey.prefix())
                .param("scope", scope.wireName())
                .param("principal", principal)
                .param("hash", ApiKeyHashing.hash(key))
                .param("createdAt", Timestamp.from(apiKey.createdAt()))
                .update();
        return new CreatedApiKey(apiKey, key);
    }

    private static String newId() {
        return "key_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The keys of one principal. */
    public List<ApiKey> listOf(String principal) {
        return jdbc.sql(LIST_OF).param("principal", principal).query(ApiKeyStore::mapStored).list().stream()
                .map(StoredKey::apiKey)
                .toList();
    }

    public List<ApiKey> list() {
        return jdbc.sql(LIST).query(ApiKeyStore::mapStored).list().stream()
                .map(StoredKey::apiKey)
                .toList();
    }

    public Optional<ApiKey> find(String id) {
        return jdbc.sql(FIND_BY_ID)
                .param("id", id)
                .query(ApiKeyStore::mapStored)
                .optional()
                .map(StoredKey::apiKey);
    }

    /** Revokes a key; true when it was active. Caches elsewhere drop it within {@link #CACHE_TTL}. */
    public boolean revoke(String id) {
        int changed = jdbc.sql(REVOKE)
                .param("id", id)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        cache.clear();
        return changed > 0;
    }

    /** Makes the operator-supplied admin key ({@code DELTAPLANE_ADMIN_API_KEY}) valid. */
    public void ensureBootstrapAdmin(String key) {
        jdbc.sql(UPSERT_BOOTSTRAP)
                .param("id", BOOTSTRAP_ID)
                .param("principal", PrincipalStore.BOOTSTRAP_ADMIN)
                .param("prefix", ApiKeyHashing.displayPrefix(key))
                .param("hash", ApiKeyHashing.hash(key))
                .param("createdAt", Timestamp.from(clock.instant()))
                .update();
        cache.clear();
    }

    private static StoredKey mapStored(ResultSet rs, int row) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        ApiKey apiKey = new ApiKey(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("key_prefix"),
                Scope.fromWire(rs.getString("scope")),
                rs.getString("principal"),
                rs.getTimestamp("created_at").toInstant(),
                revoked == null ? null : revoked.toInstant());
        return new StoredKey(apiKey, rs.getBytes("key_hash"));
    }

    private record StoredKey(ApiKey apiKey, byte[] hash) {}

    private record Cached(Optional<StoredKey> key, Instant expiresAt) {}
}
