package io.deltaplane.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.DeltaplaneConfig;
import io.deltaplane.client.DeltaplaneException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code deltaplane}: the platform from a terminal or a script. Settings come from the same
 * environment variables as the clients ({@code DELTAPLANE_API_URL}, {@code DELTAPLANE_API_KEY} or a
 * single sign-on {@code DELTAPLANE_TOKEN} / {@code DELTAPLANE_TOKEN_FILE},
 * {@code DELTAPLANE_TIMEOUT_MS}); exit codes are in {@link ExitCodes}.
 */
@Command(
        name = "deltaplane",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Deltaplane from the command line: tables, ingest, runs, lineage and API keys.",
        footer = {
            "",
            "Settings: DELTAPLANE_API_URL (a URL, or a DSN deltaplane://:KEY@host:port)",
            "          DELTAPLANE_API_KEY, or DELTAPLANE_TOKEN / DELTAPLANE_TOKEN_FILE (single sign-on),",
            "          DELTAPLANE_TIMEOUT_MS",
            "Exit codes: 0 ok, 1 failed, 2 usage, 3 configuration, 4 not found, 5 conflict,",
            "            6 auth, 7 unavailable, 8 invalid request, 9 a check found a problem"
        },
        subcommands = {
            VersionCommand.class,
            StatusCommand.class,
            ValidateConfigCommand.class,
            CatalogsCommand.class,
            SchemasCommand.class,
            TablesCommand.class,
            VolumesCommand.class,
            IngestCommand.class,
            RunsCommand.class,
            LineageCommand.class,
            KeysCommand.class,
            WhoamiCommand.class,
            PrincipalsCommand.class,
            GroupsCommand.class,
            GrantsCommand.class,
            AuditCommand.class,
            HealthCommand.class,
            IncidentsCommand.class,
            WebhooksCommand.class,
            CommandLine.HelpCommand.class
        })
public final class DeltaplaneCli implements Runnable {

    @Option(
            names = {"-o", "--output"},
            scope = ScopeType.INHERIT,
            defaultValue = "table",
            description = "json or table (default: ${DEFAULT-VALUE})")
    Output.Format output;

    private final Map<String, String> environment;
    private final PrintWriter out;
    private final ObjectMapper json = mapper();
    private DeltaplaneConfig config;
    private Deltaplane client;
    private PlatformHttp http;

    /** The CLI's JSON: snake_case, ISO dates, and a field the answer does not have left out, as the server does. */
    static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    DeltaplaneCli(Map<String, String> environment, PrintWriter out) {
        this.environment = environment;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs one command line in this JVM, as {@code deltaplane} would in its own: settings from
     * {@code environment} (never this process's), output to {@code out} and {@code err}.
     *
     * @return the exit code ({@link ExitCodes})
     */
    public static int run(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        DeltaplaneCli cli = new DeltaplaneCli(environment, out);
        CommandLine line = new CommandLine(cli)
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((failure, command, parsed) -> {
                    err.println("deltaplane: " + cli.describe(failure));
                    err.flush();
                    return ExitCodes.of(failure);
                });
        try {
            return line.execute(args);
        } finally {
            cli.close();
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    private String describe(Throwable failure) {
        if (failure instanceof io.deltaplane.client.TransientNetworkException e && client != null) {
            // say where: the first thing to check is the URL the CLI was pointed at
            return "Deltaplane is not reachable at " + client.config().url() + ": " + e.getMessage();
        }
        if (failure instanceof DeltaplaneException e) {
            String code =
                    e.errorCode() == null || e.getMessage().startsWith(e.errorCode()) ? "" : " [" + e.errorCode() + "]";
            return e.getMessage() + code;
        }
        if (failure instanceof java.io.IOException || failure instanceof IllegalArgumentException) {
            return failure.getMessage();
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    // ---- what commands share ---------------------------------------------------------------

    DeltaplaneConfig config() {
        if (config == null) {
            config = client().config();
        }
        return config;
    }

    Deltaplane client() {
        if (client == null) {
            client = Deltaplane.fromEnvironment(environment);
        }
        return client;
    }

    PlatformHttp http() {
        if (http == null) {
            http = new PlatformHttp(config(), json);
        }
        return http;
    }

    ObjectMapper json() {
        return json;
    }

    Output output() {
        return new Output(output, json, out);
    }

    Map<String, String> environment() {
        return environment;
    }

    private void close() {
        if (client != null) {
            client.close();
        }
    }
}
