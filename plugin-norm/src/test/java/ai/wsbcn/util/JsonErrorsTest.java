package ai.wsbcn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.stream.JsonReader;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;

class JsonErrorsTest {

    @Test
    void keepsWhereTheJsonBrokeAndDropsGsonsAdviceToProgrammers() {
        IOException e = assertThrows(IOException.class, () -> {
            JsonReader r = new JsonReader(new StringReader("images: []"));
            r.beginObject();
        });
        assertTrue(e.getMessage().contains("LENIENT") && e.getMessage().contains("Troubleshooting"), e.getMessage());
        assertEquals("malformed JSON at line 1 column 1 path $", JsonErrors.describe(e));
    }

    @Test
    void leavesOtherMessagesAsTheyAre() {
        assertEquals("End of input at line 1 column 8 path $.lr",
                JsonErrors.describe(new IOException("End of input at line 1 column 8 path $.lr")));
    }
}
