package com.example.backprop;

import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.testkit.ActivationContract;
import java.util.List;
import java.util.Map;

class SwishActivationTest extends ActivationContract {
    @Override
    protected ActivationProvider provider() {
        return new SwishActivationProvider();
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return List.of(Map.of(), Map.of("beta", 2.5));
    }
}
