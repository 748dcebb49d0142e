package io.backprop.runner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.registry.PluginInfo;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Suggestions;
import io.backprop.runner.spec.Where;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description = "List every plugin by kind: name, description, parameters and where it comes from.")
final class PluginsCommand implements Callable<Integer>, Main.Streams {
    @Option(
            names = "--kind",
            paramLabel = "KIND",
            description = "Only this kind: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Kinds.class)
    String kind;

    @Option(names = "--json", description = "Print JSON for tools: one object per provider.")
    boolean json;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    PluginsCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** "stopping rule" is written stopping-rule on the command line. */
    static String flag(PluginKind<?> kind) {
        return kind.noun().replace(' ', '-');
    }

    static final class Kinds extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Kinds() {
            PluginKind.ALL.forEach(k -> add(flag(k)));
        }
    }

    @Override
    public Integer call() throws JsonProcessingException {
        List<PluginKind<?>> kinds = PluginKind.ALL;
        if (kind != null) {
            kinds = PluginKind.ALL.stream().filter(k -> flag(k).equals(kind)).toList();
            if (kinds.isEmpty()) {
                throw new SpecException(
                        Where.of("--kind").problem(Suggestions.unknown("kind", kind, new Kinds(), "kinds")));
            }
        }
        Registry registry = plugins.registry(List.of(), stderr);
        if (json) {
            List<Object> all = new ArrayList<>();
            for (PluginKind<?> k : kinds) registry.list(k).forEach(p -> all.add(toJson(p)));
            stdout.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(all));
            return Main.OK;
        }
        for (PluginKind<?> k : kinds) {
            stdout.println(k.noun() + "s:");
            for (PluginInfo p : registry.list(k)) {
                String name = p.shadowed() ? p.qualifiedName() : p.name();
                stdout.printf(
                        "  %-18s %s [%s%s]%n",
                        name, p.description(), p.origin(), p.version() == null ? "" : " " + p.version());
                for (ParamSpec s : p.parameters()) {
                    stdout.printf(
                            "      %-16s %s, %s; %s%n",
                            s.name(), s.expected(), s.required() ? "required" : "default " + s.defaultValue(), s.doc());
                }
            }
        }
        return Main.OK;
    }

    private static Map<String, Object> toJson(PluginInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", flag(p.kind()));
        m.put("name", p.name());
        m.put("qualified_name", p.qualifiedName());
        m.put("description", p.description());
        List<Object> params = new ArrayList<>();
        for (ParamSpec s : p.parameters()) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", s.name());
            q.put("type", s.type().name().toLowerCase(Locale.ROOT));
            q.put("required", s.required());
            q.put("default", s.defaultValue());
            if (s.type() == ParamSpec.Type.NUMBER || s.type() == ParamSpec.Type.INTEGER) {
                q.put("min", s.hasMin() ? s.min() : null);
                q.put("min_exclusive", s.minExclusive());
                q.put("max", s.hasMax() ? s.max() : null);
            }
            if (!s.choices().isEmpty()) q.put("choices", s.choices());
            q.put("allowed", s.expected());
            q.put("doc", s.doc());
            params.add(q);
        }
        m.put("parameters", params);
        m.put("origin", p.origin());
        m.put("version", p.version());
        m.put("shadowed", p.shadowed());
        return m;
    }
}
