package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RenamerTest {
    private static final Map<String, String> NAMES = Map.of("SeriesV9", "SeriesV9$u0123456789ab");

    @Test
    void renamesIdentifiersOnly() {
        assertEquals("class SeriesV9$u0123456789ab extends Mainline { SeriesV9$u0123456789ab() {} }",
                Renamer.rename("class SeriesV9 extends Mainline { SeriesV9() {} }", NAMES));
        assertEquals("SeriesV9x = SeriesV9$u0123456789ab.f + xSeriesV9 + 0xSeriesV9;",
                Renamer.rename("SeriesV9x = SeriesV9.f + xSeriesV9 + 0xSeriesV9;", NAMES));
    }

    @Test
    void leavesCommentsAndLiteralsAlone() {
        String kept = "// SeriesV9\n/* SeriesV9 */ String s = \"SeriesV9 \\\" SeriesV9\"; char c = '\\''; "
                + "String t = \"\"\"\n  SeriesV9 \"\n  \"\"\"; ";
        assertEquals(kept + "SeriesV9$u0123456789ab k;", Renamer.rename(kept + "SeriesV9 k;", NAMES));
    }

    @Test
    void keepsLineNumbers() {
        String src = "a\nSeriesV9 b;\n// SeriesV9\nc SeriesV9\n";
        assertEquals("a\nSeriesV9$u0123456789ab b;\n// SeriesV9\nc SeriesV9$u0123456789ab\n", Renamer.rename(src, NAMES));
    }
}
