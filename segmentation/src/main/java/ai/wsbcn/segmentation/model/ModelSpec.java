package ai.wsbcn.segmentation.model;

import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.util.JsonErrors;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

import ai.djl.nn.Block;
import ai.wsbcn.pretrained.backbone.ResNetArch;
import ai.wsbcn.pretrained.backbone.ResNets;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Everything needed to rebuild a DeepLabV3 (norm, backbone shape, output stride, ASPP rates, head width, classes):
 * written next to every checkpoint so that {@code segmentation eval|predict} rebuild the trained network exactly.
 *
 * @param norm the norm string ({@code bn}, {@code gn+ws}, {@code bcn+ws}, ...)
 * @param backbone {@code resnet18/34/50/101/152} or {@code resnext...} (the {@code pretrained} module's dilated
 *     ResNets, torchvision names and shapes), or {@code tiny} / {@code resnet10} (a small built-in basic-block
 *     {@link DilatedResNet} for demos and tests)
 * @param blocks units per stage
 * @param widths output channels per stage
 * @param outputStride 8 or 16
 * @param multiGrid dilation multipliers of the last stage's units (empty: none; torchvision's dilation)
 * @param rates ASPP atrous rates
 * @param filters head channels
 * @param dropout projection dropout in training
 * @param numClasses classes including background
 * @param classNames names by index (may be empty)
 */
public record ModelSpec(String norm, String backbone, int[] blocks, int[] widths, int outputStride, int[] multiGrid,
                        int[] rates, int filters, float dropout, int numClasses, List<String> classNames) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * The spec for a named backbone with DeepLabV3's head defaults (256 channels, dropout 0.5, ASPP rates for the
     * output stride, no multi-grid).
     */
    public static ModelSpec of(String norm, String backbone, int outputStride, int numClasses, List<String> names) {
        int[] blocks;
        int[] widths;
        switch (backbone) {
            case "resnet10" -> {
                blocks = new int[] {1, 1, 1, 1};
                widths = new int[] {64, 128, 256, 512};
            }
            case "tiny" -> {
                blocks = new int[] {1, 1, 1, 1};
                widths = new int[] {16, 32, 64, 96};
            }
            default -> {
                ResNetArch arch;
                try {
                    arch = ResNetArch.of(backbone);
                } catch (RuntimeException e) {
                    throw new InvalidInputException("--backbone: unknown backbone '" + backbone + "' (use "
                            + ResNetArch.names() + ", or the small built-in resnet10 / tiny)");
                }
                if (arch.stages() != 4) {
                    throw new InvalidInputException("--backbone: " + backbone + " has " + arch.stages()
                            + " stages; DeepLabV3 needs a 4-stage ResNet");
                }
                blocks = arch.blocks().clone();
                widths = new int[4];
                for (int s = 0; s < 4; s++) {
                    widths[s] = (arch.defaultWidth() << s) * arch.expansion();
                }
            }
        }
        return new ModelSpec(norm, backbone, blocks, widths, outputStride, new int[0], Aspp.ratesFor(outputStride),
                256, 0.5f, numClasses, List.copyOf(names));
    }

    /** Whether the backbone is the small built-in one rather than the {@code pretrained} module's ResNets. */
    public boolean builtInBackbone() {
        return backbone.equals("tiny") || backbone.equals("resnet10") || backbone.equals("test");
    }

    public ModelSpec withRates(int... r) {
        return new ModelSpec(norm, backbone, blocks, widths, outputStride, multiGrid, r.clone(), filters, dropout,
                numClasses, classNames);
    }

    public ModelSpec withFilters(int f) {
        return new ModelSpec(norm, backbone, blocks, widths, outputStride, multiGrid, rates, f, dropout, numClasses,
                classNames);
    }

    public ModelSpec withDropout(float d) {
        return new ModelSpec(norm, backbone, blocks, widths, outputStride, multiGrid, rates, filters, d, numClasses,
                classNames);
    }

    public ModelSpec withMultiGrid(int... g) {
        return new ModelSpec(norm, backbone, blocks, widths, outputStride, g.clone(), rates, filters, dropout,
                numClasses, classNames);
    }

    /** Builds the network with conv/norm layers from {@code convNorms} (norm string to {@link ConvNorm}). */
    public DeepLabV3 build(Function<String, ConvNorm> convNorms) {
        ConvNorm cn = convNorms.apply(norm);
        Block bb;
        if (builtInBackbone()) {
            bb = DilatedResNet.builder().setConvNorm(cn).optBlocks(blocks).optWidths(widths)
                    .optOutputStride(outputStride).optMultiGrid(multiGrid.length == 0 ? new int[] {1} : multiGrid)
                    .build();
        } else {
            if (cn.normSpec().isEmpty()) {
                throw new InvalidInputException("--norm " + norm + " works only with the built-in tiny/resnet10"
                        + " backbones; " + backbone + " takes plugin-norm specs (bn, gn+ws, bcn+ws, ...)");
            }
            ResNets.Builder rb = ResNets.builder().setArch(backbone).setNorm(cn.normSpec().get()).optFeatures(true)
                    .optOutputStride(outputStride);
            if (multiGrid.length > 0) {
                rb.optMultiGrid(multiGrid);
            }
            bb = rb.build();
        }
        return DeepLabV3.builder().setBackbone(bb).setConvNorm(cn).setNumClasses(numClasses)
                .optOutputStride(outputStride).optRates(rates).optFilters(filters).optDropout(dropout).build();
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static ModelSpec fromJson(String json, String source) {
        try {
            ModelSpec s = GSON.fromJson(json, ModelSpec.class);
            if (s == null || s.norm == null || s.blocks == null || s.widths == null || s.rates == null
                    || s.numClasses < 1) {
                throw new InvalidInputException(source + ": incomplete model spec (norm, blocks, widths, rates,"
                        + " numClasses are required)");
            }
            return s;
        } catch (JsonParseException e) {
            throw new InvalidInputException(source + ": not a model spec JSON: " + JsonErrors.describe(e), e);
        }
    }

    /** The JSON object form (for embedding in other JSON). */
    public JsonObject toJsonObject() {
        return GSON.toJsonTree(this).getAsJsonObject();
    }

    @Override
    public String toString() {
        return "DeepLabV3 " + backbone + " " + norm + " OS" + outputStride + " blocks " + Arrays.toString(blocks)
                + " widths " + Arrays.toString(widths) + " rates " + Arrays.toString(rates) + " head " + filters
                + " classes " + numClasses;
    }
}
