package io.tally.channel.http;

import io.tally.event.EventIntake;
import io.tally.event.IntakeResult;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Step store-in-inbox of the generic channel's inbound route: parses the posted JSON straight from the request
 * stream and stores it (committed when this returns). The body becomes the stored events, for the ledger; the
 * answer for the sender waits in a property for {@link AnswerHttpEventSender}.
 *
 * <p>A processor rather than a bean-method call: this route runs once per event at full ingest rate, and bean
 * binding and OGNL expressions cost more per call than the step itself.
 */
@Component("storeHttpEvents")
public class StoreHttpEvents implements Processor {

    static final String INTAKE_RESULT = "intakeResult";

    private final EventIntake intake;

    public StoreHttpEvents(EventIntake intake) {
        this.intake = intake;
    }

    @Override
    public void process(Exchange exchange) {
        IntakeResult result = intake.accept(exchange.getMessage().getBody(InputStream.class));
        exchange.setProperty(INTAKE_RESULT, result);
        exchange.getMessage().setBody(result.stored());
    }
}
