package dev.incidentplatform.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Every colour pair the notice mails use reaches the WCAG 2.x AA contrast for normal text, 4.5:1. */
class BadgeTest {

    private static final double AA = 4.5;

    @Test
    void everyBadgePaletteReadsAtLeastAtAaContrast() {
        for (Badge.Palette palette : Badge.Palette.values()) {
            assertThat(contrast(palette.color(), palette.background())).as(palette.name()).isGreaterThanOrEqualTo(AA);
        }
    }

    @Test
    void theLayoutsTextLinkAndButtonColoursReadAtLeastAtAaContrast() {
        // Text and link colours of the templates (notices/*.html) on the backgrounds they sit on.
        Map<String, String[]> pairs = Map.of(
                "body text", new String[] { "#1f2937", "#ffffff" },
                "headings", new String[] { "#111827", "#ffffff" },
                "muted text", new String[] { "#4b5563", "#ffffff" },
                "footer text", new String[] { "#4b5563", "#f3f4f6" },
                "links", new String[] { "#1e40af", "#ffffff" },
                "footer links", new String[] { "#1e40af", "#f3f4f6" },
                "button", new String[] { "#ffffff", "#1d4ed8" });
        pairs.forEach((what, pair) -> assertThat(contrast(pair[0], pair[1])).as(what).isGreaterThanOrEqualTo(AA));
    }

    @Test
    void everyTextColourTheTemplatesUseIsOneOfThoseChecked() throws IOException {
        Set<String> checked = Set.of("#1f2937", "#111827", "#4b5563", "#1e40af", "#ffffff");
        Pattern textColour = Pattern.compile("(?<![-a-z])color:(#[0-9a-fA-F]{6})");
        for (String template : List.of("layout.html", "incidentHtml.html", "creditHtml.html")) {
            try (InputStream in = getClass().getResourceAsStream("/templates/notices/" + template)) {
                Matcher colours = textColour.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                int found = 0;
                while (colours.find()) {
                    found++;
                    assertThat(checked).as(template + " uses " + colours.group(1)).contains(colours.group(1).toLowerCase());
                }
                assertThat(found).as(template).isPositive();
            }
        }
    }

    @Test
    void theContrastFormulaGivesTheKnownExtremes() {
        assertThat(contrast("#000000", "#ffffff")).isCloseTo(21.0, Offset.offset(0.01));
        assertThat(contrast("#777777", "#ffffff")).isLessThan(AA);
    }

    /** WCAG 2.x: (L1 + 0.05) / (L2 + 0.05) of the relative luminances, the lighter first. */
    static double contrast(String foreground, String background) {
        double a = luminance(foreground);
        double b = luminance(background);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    private static double luminance(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
    }

    private static double channel(int value) {
        double c = (value & 0xFF) / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
