package ai.wsbcn.pretrained.registry;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.engine.Engine;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.pretrained.backbone.ResNet;
import ai.wsbcn.pretrained.backbone.ResNetArch;
import ai.wsbcn.pretrained.backbone.ResNets;
import ai.wsbcn.pretrained.io.CheckpointLayout;
import ai.wsbcn.pretrained.io.DjlParams;
import ai.wsbcn.pretrained.io.KeyPrefixes;
import ai.wsbcn.pretrained.io.KeyRenames;
import ai.wsbcn.pretrained.io.LoadReport;
import ai.wsbcn.pretrained.io.Npz;
import ai.wsbcn.pretrained.io.SafeTensors;
import ai.wsbcn.pretrained.io.StateDicts;
import ai.wsbcn.pretrained.io.TensorData;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A local directory of named backbones ({@code resnet50-gn-ws}) stored as safetensors with a JSON index. Nothing is
 * downloaded: entries are imported from files the user has. Default location {@code $WSBCN_HOME/pretrained}, else
 * {@code ~/.wsbcn/pretrained}.
 */
public final class PretrainedRegistry {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path dir;

    public PretrainedRegistry(Path dir) {
        this.dir = dir;
    }

    /** The default registry location. */
    public static PretrainedRegistry defaultRegistry() {
        String home = System.getenv("WSBCN_HOME");
        Path base = home != null && !home.isEmpty() ? Path.of(home) : Path.of(System.getProperty("user.home"),
                ".wsbcn");
        return new PretrainedRegistry(base.resolve("pretrained"));
    }

    public Path dir() {
        return dir;
    }

    public List<RegistryEntry> list() throws IOException {
        Path index = dir.resolve("index.json");
        if (!Files.exists(index)) {
            return List.of();
        }
        List<RegistryEntry> entries = GSON.fromJson(Files.readString(index),
                new TypeToken<List<RegistryEntry>>() { }.getType());
        return entries == null ? List.of() : entries;
    }

    public Optional<RegistryEntry> find(String name) throws IOException {
        return list().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * Imports a checkpoint under {@code name}: reads it (refusing anything that is not plain tensors), applies the
     * rename rules, checks it against the architecture when one is given, and stores it as safetensors. A file that
     * does not fit the architecture (a backbone tensor missing, extra or of another shape; the classifier {@code fc.*}
     * may differ, since pipelines replace it) is refused unless {@code allowPartial}: a backbone registered with
     * holes would later train from partly random weights without a word.
     */
    public ImportResult importFile(Path file, String name, String arch, String norm, List<String> renames,
            boolean allowPartial) throws IOException {
        return importFile(file, name, arch, norm, null, renames, allowPartial);
    }

    /**
     * {@link #importFile(Path, String, String, String, List, boolean)} keeping only the tensors under {@code prefix}
     * (its name removed; null keeps all), before the rename rules: a detector's {@code backbone.} out of a whole
     * detector checkpoint ({@link KeyPrefixes#select}).
     */
    public ImportResult importFile(Path file, String name, String arch, String norm, String prefix,
            List<String> renames, boolean allowPartial) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("--name '" + name + "': use letters, digits, '.', '_' and '-'");
        }
        NormSpec spec = NormSpec.parse(norm);
        Map<String, TensorData> raw = DjlParams.isParamsFile(file)
                ? DjlParams.read(file, arch == null ? null : ResNetArch.of(arch), spec)
                : StateDicts.read(file);
        if (prefix != null) {
            raw = KeyPrefixes.select(raw, prefix, file.toString());
        }
        Map<String, TensorData> sd = CheckpointLayout.toModelLayout(KeyRenames.parse(renames).apply(raw));
        LoadReport report = null;
        if (arch != null) {
            report = check(sd, ResNetArch.of(arch), spec, file.toString());
            if (report.loaded() == 0) {
                String hint = KeyPrefixes.dominant(sd.keySet(), report.missing())
                        .map(p -> "the file holds them under '" + p + "': add --prefix '" + p + "' (only those)"
                                + " or --rename " + KeyPrefixes.stripRule(p))
                        .orElse("add --rename rules or check --arch");
                throw new InvalidInputException(file + ": no tensor matches a " + arch + " (" + report + "); "
                        + hint);
            }
            if (!allowPartial && !backboneFits(report)) {
                throw new InvalidInputException(file + ": does not fit a " + arch + " " + spec + " (" + report
                        + "); add --rename rules, check --arch and --norm, or store it anyway with --allow-partial");
            }
        }
        Files.createDirectories(dir);
        Path stored = dir.resolve(name + ".safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("arch", arch == null ? "" : arch);
        meta.put("norm", spec.toString());
        meta.put("source", file.toAbsolutePath().toString());
        SafeTensors.write(stored, sd, meta);
        RegistryEntry entry = new RegistryEntry(name, arch, spec.toString(), spec.wsConvention().name(),
                file.toAbsolutePath().toString(), stored.getFileName().toString(), sha256(stored), sd.size());
        List<RegistryEntry> entries = new ArrayList<>(list());
        entries.removeIf(e -> e.name().equals(name));
        entries.add(entry);
        AtomicFiles.writeString(dir.resolve("index.json"), GSON.toJson(entries));
        return new ImportResult(entry, report);
    }

    /** Whether every tensor outside the classifier ({@code fc.*}) matched by name and shape. */
    static boolean backboneFits(LoadReport report) {
        return java.util.stream.Stream.of(report.missing(), report.unexpected(), report.shapeMismatches())
                .flatMap(List::stream).allMatch(k -> k.startsWith("fc."));
    }

    /** What an import stored and, when an architecture was given, how the tensors matched it. */
    public record ImportResult(RegistryEntry entry, LoadReport report) {}

    /** Checks the stored file's sha256 and, when the entry has an architecture, that it loads strictly. */
    public LoadReport verify(String name) throws IOException {
        RegistryEntry e = find(name).orElseThrow(() -> new InvalidInputException("no backbone named '" + name
                + "' in " + dir));
        Path stored = dir.resolve(e.file());
        String actual = sha256(stored);
        if (!actual.equals(e.sha256())) {
            throw new InvalidInputException(stored + ": sha256 " + actual + " differs from the registered "
                    + e.sha256() + " (the file changed since import)");
        }
        Map<String, TensorData> sd = SafeTensors.read(stored);
        if (e.arch() == null || e.arch().isEmpty()) {
            return new LoadReport(sd.size(), List.of(), List.of(), List.of());
        }
        return check(sd, ResNetArch.of(e.arch()), NormSpec.parse(e.norm()), stored.toString());
    }

    /** Writes a registered backbone as safetensors, npz or DJL params. */
    public void export(String name, String format, Path out) throws IOException {
        RegistryEntry e = find(name).orElseThrow(() -> new InvalidInputException("no backbone named '" + name
                + "' in " + dir));
        Map<String, TensorData> sd = SafeTensors.read(dir.resolve(e.file()));
        switch (format) {
            case "safetensors":
                SafeTensors.write(out, sd, Map.of("norm", e.norm()));
                break;
            case "npz":
                Npz.write(out, sd);
                break;
            case "params":
                if (e.arch() == null || e.arch().isEmpty()) {
                    throw new InvalidInputException("exporting DJL .params needs the entry's architecture (import "
                            + "with --arch)");
                }
                try (NDManager m = Engine.getInstance().newBaseManager()) {
                    ResNet model = build(sd, ResNetArch.of(e.arch()), NormSpec.parse(e.norm()), m);
                    StateDicts.load(model, sd, true, e.file());
                    AtomicFiles.write(out, raw -> model.saveParameters(new java.io.DataOutputStream(raw)));
                }
                break;
            default:
                throw new InvalidInputException("--format must be safetensors, npz or params, got '" + format + "'");
        }
    }

    /** A path to load {@code nameOrPath} from: a registered name, or an existing checkpoint file. */
    public Path resolve(String nameOrPath) throws IOException {
        Optional<RegistryEntry> e = find(nameOrPath);
        if (e.isPresent()) {
            return dir.resolve(e.get().file());
        }
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return p;
        }
        throw new InvalidInputException("--backbone '" + nameOrPath + "' is neither a registered backbone (see"
                + " 'wsbcn pretrained list', registry " + dir + ") nor a file");
    }

    private static LoadReport check(Map<String, TensorData> sd, ResNetArch arch, NormSpec norm, String source) {
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            ResNet model = build(sd, arch, norm, m);
            return StateDicts.load(model, sd, false, source);
        }
    }

    /** The architecture with the checkpoint's input channels and class count (features only when no fc). */
    private static ResNet build(Map<String, TensorData> sd, ResNetArch arch, NormSpec norm, NDManager m) {
        TensorData fc = sd.get("fc.weight");
        TensorData conv1 = sd.get("conv1.weight");
        ResNets.Builder b = ResNets.builder().setArch(arch).setNorm(norm);
        b = fc != null ? b.optNumClasses((int) fc.shape()[0]) : b.optFeatures(true);
        ResNet model = b.build();
        long inChannels = conv1 != null ? conv1.shape()[1] : 3;
        model.initialize(m, DataType.FLOAT32, new Shape(1, inChannels, 64, 64));
        return model;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
