package io.backprop.runner.plugins.initializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

public final class FromModelInitializerProvider implements InitializerProvider {
    @Override
    public String name() {
        return "from-model";
    }

    @Override
    public String description() {
        return "a warm start: the weights (or biases) of a saved model.json, layer by layer, shapes checked";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.path("path", null, "the model.json of an earlier run"));
    }

    @Override
    public Initializer create(Params params) {
        Path file = params.path("path");
        JsonNode layers;
        try {
            layers = new ObjectMapper().readTree(Files.readAllBytes(file)).path("layers");
        } catch (NoSuchFileException e) {
            throw new PluginException("no such file: " + params.getString("path") + " (looked for " + file + ")");
        } catch (IOException e) {
            throw new PluginException(
                    "cannot read " + params.getString("path") + " as a model.json: " + e.getMessage());
        }
        if (!layers.isArray() || layers.isEmpty())
            throw new PluginException(params.getString("path") + " holds no layers");
        return new FromModelInitializer(params.getString("path"), layers);
    }
}
