import java.io.BufferedReader;
import java.io.FileReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./platform produce <topic> [file.jsonl]}: sends each non-blank line (a JSON event) to the
 * local broker, from the file or standard input; prints how many it sent. Run by the launcher with
 * the broker's own jars on the class path (java's single-file source launcher: nothing to build).
 */
public final class Produce {
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Produce <bootstrap> <topic> [file.jsonl]");
            System.exit(2);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        long sent = 0;
        try (Reader source = args.length == 3
                        ? new FileReader(args[2], StandardCharsets.UTF_8)
                        : new InputStreamReader(System.in, StandardCharsets.UTF_8);
                BufferedReader lines = new BufferedReader(source);
                KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    producer.send(new ProducerRecord<>(args[1], line));
                    sent++;
                }
            }
            producer.flush();
        }
        System.out.println("sent " + sent + " events to " + args[1]);
    }
}
