package ai.wsbcn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class SettingsFileTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void yamlAndJsonGiveTheSameTextInFileOrder() throws Exception {
        Map<String, String> yaml = SettingsFile.read(file("a.yaml",
                "norm: bcn(16)+ws\niter_size: 4\nlr: 0.007\nresume: true\nmulti-grid: [1, 2, 4]\nval: null\n"));
        Map<String, String> json = SettingsFile.read(file("a.json",
                "{\"norm\": \"bcn(16)+ws\", \"iter_size\": 4, \"lr\": 0.007, \"resume\": true,"
                        + " \"multi-grid\": [1, 2, 4], \"val\": null}"));
        Map<String, String> expected = new HashMap<>();
        expected.put("norm", "bcn(16)+ws");
        expected.put("iter_size", "4");
        expected.put("lr", "0.007");
        expected.put("resume", "true");
        expected.put("multi-grid", "1,2,4");
        expected.put("val", null);
        assertEquals(expected, yaml);
        assertEquals(expected, json);
        assertEquals(List.of("norm", "iter_size", "lr", "resume", "multi-grid", "val"), new ArrayList<>(yaml.keySet()));
        assertEquals(new ArrayList<>(yaml.keySet()), new ArrayList<>(json.keySet()));
    }

    @Test
    void anEmptyYamlFileHasNoSettings() throws Exception {
        assertTrue(SettingsFile.read(file("empty.yml", "# nothing yet\n")).isEmpty());
    }

    @Test
    void errorsNameTheFileAndTheKey() throws Exception {
        String nested = message(file("nested.yaml", "solver:\n  lr: 0.1\n"));
        assertTrue(nested.startsWith(dir.resolve("nested.yaml") + ": solver: expected a single value"), nested);
        String nestedJson = message(file("nested.json", "{\"solver\": {\"lr\": 0.1}}"));
        assertTrue(nestedJson.contains("nested.json: solver: expected a single value"), nestedJson);
        String listOfMaps = message(file("list.yaml", "steps:\n  - a: 1\n"));
        assertTrue(listOfMaps.contains("list.yaml: steps: a list may hold plain values only"), listOfMaps);
        String notMapping = message(file("seq.yaml", "- lr\n- 0.1\n"));
        assertTrue(notMapping.contains("seq.yaml: expected a YAML mapping"), notMapping);
        String notObject = message(file("arr.json", "[1, 2]"));
        assertTrue(notObject.contains("arr.json: expected a JSON object"), notObject);
        String torn = message(file("torn.json", "{\"lr\": "));
        assertTrue(torn.contains("torn.json: not valid JSON"), torn);
        String badYaml = message(file("bad.yaml", "lr: [0.1\n"));
        assertTrue(badYaml.contains("bad.yaml: not valid YAML"), badYaml);
        String missing = message(dir.resolve("missing.yaml"));
        assertTrue(missing.contains("missing.yaml: settings file not found"), missing);
    }

    @Test
    void yamlCannotBuildObjects() throws Exception {
        String m = message(file("evil.yaml", "x: !!java.io.File [\"/tmp\"]\n"));
        assertTrue(m.contains("evil.yaml: not valid YAML"), m);
    }

    private static String message(Path p) {
        return assertThrows(InvalidInputException.class, () -> SettingsFile.read(p)).getMessage();
    }
}
