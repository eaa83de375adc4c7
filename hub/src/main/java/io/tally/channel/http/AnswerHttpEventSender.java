package io.tally.channel.http;

import io.tally.event.IntakeResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/** Step answer-sender: 202 with the event id when stored, 200 "duplicate" when every event was stored before. */
@Component("answerHttpEventSender")
public class AnswerHttpEventSender implements Processor {

    @Override
    public void process(Exchange exchange) {
        IntakeResult result = exchange.getProperty(StoreHttpEvents.INTAKE_RESULT, IntakeResult.class);
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, result.httpStatus());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(result.responseJson());
    }
}
