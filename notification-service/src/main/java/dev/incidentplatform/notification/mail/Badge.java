package dev.incidentplatform.notification.mail;

import io.quarkus.qute.TemplateData;

/**
 * A status as a mail shows it: its label in the reader's language on a coloured background. The colour only repeats
 * what the label says (it is never the only signal), and each pair of colours has at least the WCAG AA contrast for
 * small text, 4.5:1 ({@code BadgeTest}).
 */
@TemplateData
public record Badge(String label, String color, String background) {

    /** The colours of one kind of status: dark text on a light tint of the same hue. */
    public enum Palette {
        GREEN("#14532d", "#dcfce7"),
        YELLOW("#713f12", "#fef9c3"),
        ORANGE("#7c2d12", "#ffedd5"),
        RED("#7f1d1d", "#fee2e2"),
        BLUE("#1e3a8a", "#dbeafe"),
        PURPLE("#4c1d95", "#ede9fe"),
        GRAY("#1f2937", "#e5e7eb");

        private final String color;
        private final String background;

        Palette(String color, String background) {
            this.color = color;
            this.background = background;
        }

        public String color() {
            return color;
        }

        public String background() {
            return background;
        }

        public Badge badge(String label) {
            return new Badge(label, color, background);
        }
    }

    /** The inline style of a badge; mail clients drop {@code <style>} blocks, so every element carries its own. */
    public String style() {
        // Never wider than its table cell on a phone: a long label wraps inside the badge instead.
        return "display:inline-block;max-width:100%;box-sizing:border-box;padding:2px 7px;border-radius:10px;"
                + "font-size:13px;line-height:18px;font-weight:600;overflow-wrap:anywhere;color:" + color
                + ";background-color:" + background + ";";
    }
}
