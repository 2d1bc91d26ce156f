package io.deltaplane.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code deltaplane version}: this tool's version and the Java it runs on. */
@Command(name = "version", description = "Print the CLI's version.")
final class VersionCommand extends CliCommand {

    static String version() {
        String version = DeltaplaneCli.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    @Override
    public Integer call() {
        ObjectNode info = cli().json().createObjectNode();
        info.put("cli", version());
        info.put("java", System.getProperty("java.version"));
        output().object(info);
        return ExitCodes.OK;
    }

    /** For {@code deltaplane --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"deltaplane " + version()};
        }
    }
}
