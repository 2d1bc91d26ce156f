package io.deltaplane.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One embedded KRaft broker for the whole test JVM (started on first use), and a producer. */
public final class TestKafka {

    public static final int PARTITIONS = 4;
    private static EmbeddedKafkaKraftBroker broker;

    private TestKafka() {}

    public static synchronized String bootstrap() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker b = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
            b.brokerProperty("group.initial.rebalance.delay.ms", "0");
            b.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(b::destroy, "embedded-kafka-stop"));
            broker = b;
        }
        return broker.getBrokersAsString();
    }

    /** A new 4-partition topic. */
    public static String topic(String prefix) {
        bootstrap();
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        broker.addTopics(new NewTopic(name, PARTITIONS, (short) 1));
        return name;
    }

    /** Sends events {@code from .. from+count-1} to partition {@code i % 4}, and waits for the acks. */
    public static void produce(String topic, long from, long count, LongFunction<byte[]> event) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, (int) (i % PARTITIONS), null, event.apply(i)));
            }
            producer.flush();
        }
    }
}
