package io.deltaplane.metadata.managed;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.deltalog.DeltaLogJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The action cap counts on bytes what the parser would take as actions, never fewer: a file it
 * passes cannot turn into more parsed actions than the cap.
 */
class StagedCommitCapsTest {

    @Test
    void nonBlankLinesAreTheActionsTheParserTakes() {
        for (String file : List.of(
                "{\"a\":1}\n{\"b\":2}\n",
                "{\"a\":1}\n{\"b\":2}", // no newline after the last
                "{\"a\":1}\r\n\r\n{\"b\":2}\r\n", // CRLF and a blank line
                "\n\n  \t\n{\"a\":1}\n \n",
                "  {\"a\":1}  \n{\"b\":\"caf\u00e9\"}\n")) {
            byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
            assertThat(StagedCommitCaps.nonBlankLines(bytes))
                    .as(file)
                    .isEqualTo(DeltaLogJson.actions(bytes).size());
        }
        assertThat(StagedCommitCaps.nonBlankLines(new byte[0])).isZero();
        // whitespace beyond ASCII's blanks is counted: more than the parser takes, never fewer
        assertThat(StagedCommitCaps.nonBlankLines("{\"a\":1}\n\u2003\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(2);
    }
}
