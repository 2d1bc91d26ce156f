package io.deltaplane.metadata.publish;

import io.deltaplane.support.loop.Wakeup;
import org.springframework.stereotype.Component;

/**
 * Lets a local commit wake a publisher worker instead of waiting for the next poll. A signal bumps
 * a generation and wakes one worker; a worker that found work signals again, so more workers join
 * only while there is work for them (no herd of empty claims per commit).
 */
@Component
public class PublishWakeup extends Wakeup {}
