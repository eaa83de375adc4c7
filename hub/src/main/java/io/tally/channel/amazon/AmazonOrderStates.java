package io.tally.channel.amazon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.channel.amazon.AmazonOrderMapper.Item;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The state of each Amazon order as last stored ({@code amazon_order}): lets the poller skip an order read again
 * without a change, and reuse its items when only its status changed.
 */
@Component
class AmazonOrderStates {

    private static final TypeReference<List<Item>> ITEMS = new TypeReference<>() {};

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;

    AmazonOrderStates(NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    /** What Tally stored of an order. */
    record Known(String status, Instant lastUpdate, String saleStage, List<Item> items) {}

    /** An order's new state, with Amazon's order as read ({@code payload}). */
    record OrderState(
            String orderId, String status, Instant lastUpdate, String saleStage, List<Item> items, String payload) {}

    Map<String, Known> known(String store, List<String> ids) {
        Map<String, Known> known = new HashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        jdbc.query("""
                SELECT order_id, status, last_update, sale_stage, items::text AS items FROM amazon_order
                WHERE store = :store AND order_id IN (:ids)
                """, new MapSqlParameterSource("store", store).addValue("ids", ids), rs -> {
            try {
                known.put(
                        rs.getString("order_id"),
                        new Known(
                                rs.getString("status"),
                                rs.getTimestamp("last_update").toInstant(),
                                rs.getString("sale_stage"),
                                objectMapper.readValue(rs.getString("items"), ITEMS)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("amazon_order items of " + rs.getString("order_id"), e);
            }
        });
        return known;
    }

    /** Saves the states; meant to run in the transaction that stores the orders' events. */
    void save(String store, List<OrderState> states) {
        for (OrderState s : states) {
            jdbc.update(
                    """
                    INSERT INTO amazon_order (store, order_id, status, last_update, sale_stage, items, payload)
                    VALUES (:store, :order, :status, :updated, :stage, CAST(:items AS jsonb), CAST(:payload AS jsonb))
                    ON CONFLICT (store, order_id) DO UPDATE SET status = EXCLUDED.status,
                        last_update = EXCLUDED.last_update, sale_stage = EXCLUDED.sale_stage,
                        payload = EXCLUDED.payload, updated_at = now()
                    """,
                    new MapSqlParameterSource("store", store)
                            .addValue("order", s.orderId())
                            .addValue("status", s.status())
                            .addValue("updated", Timestamp.from(s.lastUpdate()))
                            .addValue("stage", s.saleStage())
                            .addValue("items", json(s.items()))
                            .addValue("payload", s.payload()));
        }
    }

    private String json(List<Item> items) {
        try {
            return objectMapper.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
