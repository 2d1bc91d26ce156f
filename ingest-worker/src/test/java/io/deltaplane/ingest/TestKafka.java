package io.deltaplane.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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

    /**
     * {@code consumer} (a worker's consumer settings) for a worker a test SIGKILLs: a killed member
     * leaves no LeaveGroup, so the broker only drops it, and hands its partitions to the restarted
     * consumer, when its session times out. That is the broker's minimum, 6 s, here instead of the
     * client's 45 s default, which the restart would otherwise wait out.
     */
    public static Map<String, Object> killable(Map<String, Object> consumer) {
        Map<String, Object> props = new HashMap<>(consumer);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        return props;
    }

    /**
     * How many consumers are members of {@code group} now: 0 once a worker's consumer has left it (a
     * stopped mapping's consumer leaves at once), the explicit sign that nothing reads for it.
     */
    public static int groupMembers(String group) {
        return groupMemberIds(group).size();
    }

    /** The member ids of {@code group} now, as the broker's coordinator holds them. */
    public static java.util.Set<String> groupMemberIds(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            return admin
                    .describeConsumerGroups(List.of(group))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(group)
                    .members()
                    .stream()
                    .map(org.apache.kafka.clients.admin.MemberDescription::consumerId)
                    .collect(java.util.stream.Collectors.toSet());
        } catch (Exception e) {
            throw new IllegalStateException("could not describe consumer group " + group, e);
        }
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
        // Idempotent, one request in flight and generous timeouts: on a loaded machine a slow broker
        // must not make the producer drop or reorder events the tests count.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = from; i < from + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, (int) (i % PARTITIONS), null, event.apply(i))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The test producer could not deliver every event", e);
        }
    }
}
