package dev.incidentplatform.notification.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeedTextTest {

    @Test
    void charactersNoFeedCanCarryBecomeTheReplacementCharacter() {
        assertThat(FeedText.clean("a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\u007Fh\u0080i\u009Fj")).isEqualTo(
                "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\uFFFDi\uFFFDj");
        assertThat(FeedText.clean("\uFFFE\uFFFF")).isEqualTo("\uFFFD\uFFFD");
        assertThat(FeedText.clean("lone \uD83D high, lone \uDE00 low, reversed \uDE00\uD83D")).isEqualTo(
                "lone \uFFFD high, lone \uFFFD low, reversed \uFFFD\uFFFD");
    }

    @Test
    void everythingElseIsKeptAsItIs() {
        String text = "Tab\tLF\nCR\r <b>&amp;</b> ]]> \"' 😀 \uD83D\uDE00 中文 \u00A0\u2028\uFFFD\uE000 \uDBFF\uDFFF";
        assertThat(FeedText.clean(text)).isSameAs(text);
        assertThat(FeedText.clean("")).isEmpty();
        assertThat(FeedText.clean(null)).isNull();
    }

    @Test
    void aPairAfterAReplacementStaysAPair() {
        assertThat(FeedText.clean("\u0007😀\u0007")).isEqualTo("\uFFFD😀\uFFFD");
    }
}
