package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.junit.jupiter.api.Test;

class ConsistentTagKeysTest {
    @Test
    void aNameReusedWithOtherTagKeysFailsItsRegistration() {
        var registry = new CompositeMeterRegistry();
        registry.config().commonTags("experiment", "e").meterFilter(new ConsistentTagKeys());
        Gauge.builder("runner.loss", () -> 1.0).tag("split", "train").register(registry);
        Gauge.builder("runner.loss", () -> 2.0).tag("split", "validation").register(registry);
        var e = assertThrows(
                IllegalStateException.class,
                () -> Gauge.builder("runner.loss", () -> 3.0).tag("layer", "0").register(registry));
        assertEquals(
                "meter runner.loss has tag keys [experiment, layer] here but [experiment, split] where it was first registered;"
                        + " one name takes one set of tag keys",
                e.getMessage());
        Counter.builder("runner.epochs").register(registry).increment();
        assertEquals(2, registry.find("runner.loss").gauges().size());
    }
}
