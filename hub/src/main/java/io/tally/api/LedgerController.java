package io.tally.api;

import io.tally.dispatch.Dispatch;
import io.tally.event.InboxRepository;
import io.tally.ledger.LedgerControl;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The ledger's state, and pausing/resuming it for maintenance (events keep being accepted while paused). */
@RestController
@RequestMapping("/api/ledger")
class LedgerController {

    private static final int RESUME_BATCH = 500_000;

    private final LedgerControl control;
    private final InboxRepository inbox;
    private final Dispatch dispatch;

    LedgerController(LedgerControl control, InboxRepository inbox, Dispatch dispatch) {
        this.control = control;
        this.inbox = inbox;
        this.dispatch = dispatch;
    }

    @GetMapping
    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("applying", control.isApplying());
        state.put("inbox", inbox.unfinishedCounts());
        return state;
    }

    @PostMapping("/pause")
    Map<String, Object> pause() {
        control.pause();
        return state();
    }

    @PostMapping("/resume")
    Map<String, Object> resume() {
        if (control.resume()) {
            dispatch.applyEvents(inbox.findPending(0, RESUME_BATCH));
        }
        return state();
    }
}
