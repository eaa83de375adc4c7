package io.tally.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builder for a canonical event of POST /api/events. */
final class Ev {

    private final Map<String, Object> m = new LinkedHashMap<>();

    private Ev(String type, String store) {
        m.put("id", type + "-" + UUID.randomUUID());
        m.put("store", store);
        m.put("type", type);
    }

    static Ev of(String type, String store) {
        return new Ev(type, store);
    }

    static Ev sale(String store) {
        return of("sale", store);
    }

    static Ev cancel(String store) {
        return of("cancel", store);
    }

    static Ev restock(String store) {
        return of("restock", store);
    }

    static Ev adjust(String store) {
        return of("adjust", store);
    }

    static Ev set(String store) {
        return of("set", store);
    }

    Ev id(String id) {
        m.put("id", id);
        return this;
    }

    String id() {
        return (String) m.get("id");
    }

    Ev channel(String c) {
        m.put("channel", c);
        return this;
    }

    Ev sku(String s) {
        m.put("sku", s);
        return this;
    }

    Ev barcode(String s) {
        m.put("barcode", s);
        return this;
    }

    Ev ref(String s) {
        m.put("ref", s);
        return this;
    }

    Ev qty(long q) {
        m.put("quantity", q);
        return this;
    }

    Ev order(String orderId) {
        m.put("orderId", orderId);
        return this;
    }

    Ev order(String orderId, String lineId) {
        m.put("orderId", orderId);
        m.put("lineId", lineId);
        return this;
    }

    Ev stage(String s) {
        m.put("stage", s);
        return this;
    }

    Ev cause(String s) {
        m.put("cause", s);
        return this;
    }

    Ev with(String k, Object v) {
        m.put(k, v);
        return this;
    }

    Ev without(String k) {
        m.remove(k);
        return this;
    }

    /** A copy with a fresh id (same event content: another delivery of the same fact). */
    Ev copyWithNewId() {
        Ev e = new Ev((String) m.get("type"), (String) m.get("store"));
        String id = e.id();
        e.m.putAll(m);
        e.m.put("id", id);
        return e;
    }

    Map<String, Object> map() {
        return new LinkedHashMap<>(m);
    }

    @Override
    public String toString() {
        return m.toString();
    }
}
