package io.backprop.runner.run;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One meter name, one set of tag keys: Prometheus and most backends group series by name, and a name whose series
 * carry different labels breaks queries. A meter that breaks the rule fails its registration loudly.
 */
final class ConsistentTagKeys implements MeterFilter {
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();

    @Override
    public Meter.Id map(Meter.Id id) {
        Set<String> these = new TreeSet<>();
        for (Tag tag : id.getTagsAsIterable()) these.add(tag.getKey());
        Set<String> first = keys.putIfAbsent(id.getName(), these);
        if (first != null && !first.equals(these)) {
            throw new IllegalStateException("meter " + id.getName() + " has tag keys " + these + " here but " + first
                    + " where it was first registered; one name takes one set of tag keys");
        }
        return id;
    }
}
