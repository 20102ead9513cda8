package dev.incidentplatform.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Every notice template, rendered from stored notices, in a real browser (headless Chromium driven by Selenium) at a
 * phone's width (390 px) and a desktop mail pane's (800 px): screenshots go to {@code target/mail-screenshots/}, and no
 * page may be wider than the window (a horizontal scrollbar). Chromium and chromedriver are the system's
 * ({@code apt-get install chromium chromium-driver}, which {@code .ci/run} does); without them this test fails.
 */
@QuarkusTest
class NoticeScreenshotsTest {

    static final Path SCREENSHOTS = Path.of("target", "mail-screenshots");
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final List<Integer> WIDTHS = List.of(390, 800);

    private static ChromeDriverService service;
    private static ChromeDriver browser;

    @Inject
    NoticeMails mails;

    @BeforeAll
    static void startBrowser() throws IOException {
        assertThat(CHROMIUM.canExecute()).as("Chromium is missing: apt-get install -y chromium chromium-driver").isTrue();
        assertThat(CHROMEDRIVER.canExecute()).as("chromedriver is missing: apt-get install -y chromium chromium-driver").isTrue();
        Files.createDirectories(SCREENSHOTS);
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "chromium-profile-");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
                // A container's /dev/shm is often 64 MB, too small for Chromium's renderer.
                "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath(),
                "--hide-scrollbars", "--window-size=800,1200");
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void everyTemplateFitsAPhoneAndADesktopWithoutScrollingSideways() throws IOException {
        Map<String, OutgoingMail> rendered = new LinkedHashMap<>();
        rendered.put("incident-opened", render(NoticeSamples.ENGLISH_UTC, NoticeSamples.opened(
                "Virtual machines fail to start in eu-west and us-east")));
        rendered.put("incident-opened-long-words", render(NoticeSamples.ENGLISH_UTC, NoticeSamples.opened(
                "Provisioning-of-azure-virtual-machines-in-every-region-fails-with-InternalServerError-"
                        + "0x80004005-since-the-storage-firmware-rollout")));
        rendered.put("update-several-components", render(NoticeSamples.ENGLISH_UTC, NoticeSamples.latestOnly(
                NoticeSamples.coalesced())));
        rendered.put("coalesced", render(NoticeSamples.ENGLISH_UTC, NoticeSamples.coalesced()));
        rendered.put("review", render(NoticeSamples.ENGLISH_UTC, NoticeSamples.review()));
        rendered.put("credit", render(NoticeSamples.ENGLISH_NEW_YORK, NoticeSamples.credit()));
        rendered.put("credit-extension", render(NoticeSamples.ENGLISH_UTC, NoticeSamples.extensionCredit()));
        rendered.put("german-coalesced", render(NoticeSamples.GERMAN_BERLIN, NoticeSamples.coalesced()));
        rendered.put("german-credit", render(NoticeSamples.GERMAN_BERLIN, NoticeSamples.credit()));

        for (Map.Entry<String, OutgoingMail> mail : rendered.entrySet()) {
            Path page = SCREENSHOTS.resolve(mail.getKey() + ".html");
            Files.writeString(page, mail.getValue().html(), StandardCharsets.UTF_8);
            Files.writeString(SCREENSHOTS.resolve(mail.getKey() + ".txt"), mail.getValue().text(), StandardCharsets.UTF_8);
            for (int width : WIDTHS) {
                Layout layout = open(page, width);
                assertThat(layout.scrollWidth()).as("%s at %d px: the page is wider than the window", mail.getKey(), width)
                        .isLessThanOrEqualTo(layout.innerWidth());
                assertThat(layout.innerWidth()).as("%s: the window is %d px wide", mail.getKey(), width).isEqualTo(width);
                assertThat(layout.overflowingElements()).as("%s at %d px: elements wider than their table cell", mail.getKey(),
                        width).isZero();
                Path png = SCREENSHOTS.resolve(mail.getKey() + "-" + width + ".png");
                Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
                assertThat(Files.size(png)).as(png.toString()).isGreaterThan(1000);
            }
        }
    }

    private OutgoingMail render(EmailRecipient recipient, NoticeSamples.Sample sample) {
        return mails.render(recipient, sample.incidentId(), "<" + UUID.randomUUID() + "@notices.example.test>", null,
                sample.notices());
    }

    record Layout(long scrollWidth, long innerWidth, long overflowingElements) {
    }

    /** Elements (badges, buttons, words) that stick out of the table cell they are in, by more than half a pixel. */
    private static final String OVERFLOWING = """
            let count = 0;
            for (const element of document.querySelectorAll('td *')) {
              const cell = element.closest('td').getBoundingClientRect();
              const box = element.getBoundingClientRect();
              if (box.width > 0 && (box.right > cell.right + 0.5 || box.left < cell.left - 0.5)) {
                count++;
              }
            }
            return count;""";

    /** Loads the page in a viewport of this width, as tall as the page, and measures it. */
    private static Layout open(Path page, int width) {
        metrics(width, 1000);
        browser.get(page.toAbsolutePath().toUri().toString());
        JavascriptExecutor script = browser;
        long height = ((Number) script.executeScript("return document.documentElement.scrollHeight")).longValue();
        metrics(width, (int) Math.min(height, 8000));
        long scrollWidth = ((Number) script.executeScript("return document.documentElement.scrollWidth")).longValue();
        long innerWidth = ((Number) script.executeScript("return window.innerWidth")).longValue();
        long overflowing = ((Number) script.executeScript(OVERFLOWING)).longValue();
        return new Layout(scrollWidth, innerWidth, overflowing);
    }

    /** The viewport of a phone (below 600 px: mobile, so the viewport meta applies) or of a desktop window. */
    private static void metrics(int width, int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    }
}
