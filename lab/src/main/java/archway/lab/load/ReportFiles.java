package archway.lab.load;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/** The report's files: {@code --json} (the report) and {@code --histogram} (HdrHistogram's percentile distribution). */
final class ReportFiles {

    /** The histogram holds microseconds; the distribution is written in milliseconds. */
    private static final double MICROS_PER_MS = 1_000.0;

    private ReportFiles() {
    }

    static void writeJson(Path file, LoadReport report) {
        try {
            Files.writeString(file, LoadJson.mapper().writeValueAsString(report) + System.lineSeparator());
        } catch (IOException e) {
            throw new LoadException("could not write --json " + file + ": " + e.getMessage(), e);
        }
    }

    /** The format HdrHistogram's plotter reads (hdrhistogram.github.io/HdrHistogram/plotFiles.html), values in ms. */
    static void writeHistogram(Path file, Histogram latencyMicros) {
        try (OutputStream stream = Files.newOutputStream(file);
             PrintStream out = new PrintStream(stream, false, StandardCharsets.UTF_8)) {
            latencyMicros.outputPercentileDistribution(out, MICROS_PER_MS);
        } catch (IOException e) {
            throw new LoadException("could not write --histogram " + file + ": " + e.getMessage(), e);
        }
    }
}
