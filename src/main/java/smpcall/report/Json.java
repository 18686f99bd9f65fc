package smpcall.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The {@code --json} reports: records written as JSON objects, keys in snake_case in the
 * records' order, two-space indent, one file per report (schema: docs/json.md).
 */
public final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    public static String text(Object report) {
        try {
            return MAPPER.writeValueAsString(report) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a report as JSON", e);
        }
    }

    public static void write(Path file, Object report) throws IOException {
        Files.writeString(file, text(report));
    }
}
