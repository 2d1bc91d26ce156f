package com.azure.messaging.eventhubs;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.message.Message;

/**
 * Test seam: builds {@link EventData} exactly as the SDK does for an event received over AMQP — an
 * AMQP message with the broker's annotations (sequence number, offset, enqueued time) run through
 * the SDK's own {@code EventHubMessageSerializer}. It lives in the SDK's package because that
 * serializer is package-private; Event Hubs itself cannot be reached from the tests.
 */
public final class ReceivedEvents {

    private ReceivedEvents() {}

    public static EventData received(byte[] body, long sequenceNumber, Instant enqueued) {
        Message message = Proton.message();
        message.setBody(new Data(new Binary(body)));
        Map<Symbol, Object> annotations = new HashMap<>();
        annotations.put(Symbol.getSymbol("x-opt-sequence-number"), sequenceNumber);
        annotations.put(Symbol.getSymbol("x-opt-offset"), Long.toString(sequenceNumber * 120));
        annotations.put(Symbol.getSymbol("x-opt-enqueued-time"), Date.from(enqueued));
        message.setMessageAnnotations(new MessageAnnotations(annotations));
        return new EventHubMessageSerializer().deserialize(message, EventData.class);
    }
}
