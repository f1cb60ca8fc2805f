package archway.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import archway.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The storefront in a real browser, through the edge of the whole running system: what a
 * shopper sees, from the catalog grid and signing in to the cart, checkout and the order on
 * its way to its final status. Each test opens its own tab, so no session carries over from
 * another, and empties the cart (localStorage, which tabs share) when it is done; a failed
 * one leaves a screenshot and the page's HTML in {@code target/browser-failures}.
 *
 * <p>Skipped where Chromium or chromedriver is missing, unless {@code ARCHWAY_REQUIRE_BROWSER=true}
 * (as in CI), which makes that a failure.
 */
@ExtendWith(RunningSystem.class)
class StorefrontBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** An order goes through payment and stock on the bus; a notification follows it. */
    private static final Duration ORDER_PATIENCE = Duration.ofSeconds(20);
    /** Selenium's default of 500 ms would add a quarter of a second to every wait on average. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String PASSWORD = "correct horse battery staple";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final By RESULT_COUNT = By.cssSelector(".catalog .result-count");
    private static final By CARDS = By.cssSelector(".product-grid > li.card:not(.card-skeleton)");
    private static final By CART_COUNT = By.id("cart-count");
    private static final By ORDER = By.cssSelector("section.order");
    private static final Pattern ORDER_ROUTE = Pattern.compile("#/orders/([0-9a-fA-F-]{36})$");

    @TempDir
    static Path profile;

    static ArchwaySystem system;
    static ChromeDriver browser;
    static String firstTab;
    /** A product from the middle of the catalog, as the API describes it. */
    static JsonNode product;

    /** Runs before the {@code @BeforeAll} below asks for the shared system: no browser, no system to start. */
    @RegisterExtension
    static final BeforeAllCallback A_BROWSER_IS_INSTALLED = context -> Chromium.assumeInstalled();

    @RegisterExtension
    static final TestExecutionExceptionHandler SCREENSHOT_ON_FAILURE = (context, failure) -> {
        throw Chromium.withEvidence(browser, context.getRequiredTestMethod().getName(), failure);
    };

    /** What a product card shows, and where it leads (which tells the cards apart in a failure message). */
    record Card(String name, String category, String price, String link) {
    }

    @BeforeAll
    static void openABrowser(ArchwaySystem running) throws Exception {
        system = running;
        product = api("/api/v1/products?size=1&page=5000").get("items").get(0);
        browser = Chromium.start(profile);
        firstTab = browser.getWindowHandle();
    }

    @AfterAll
    static void quitTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void openANewTab() {
        browser.switchTo().newWindow(WindowType.TAB);
    }

    @AfterEach
    void closeIt() {
        if (browser.getCurrentUrl().startsWith(system.edgeUrl())) {
            browser.executeScript("localStorage.clear()"); // the cart: the next test starts with none
        }
        browser.close();
        browser.switchTo().window(firstTab);
    }

    @Test
    void theCatalogShowsProductCardsWithTheirNamesAndPrices() throws Exception {
        JsonNode firstPage = api("/api/v1/products?size=12").get("items");

        visit("#/");

        seeCount("10,000 products");
        assertThat(cards()).extracting(Card::name, Card::price).containsExactlyElementsOf(
                stream(firstPage).map(p -> tuple(p.get("name").asText(), price(p))).toList());
    }

    @Test
    void searchingAWordOfAProductNameShowsOnlyProductsWithThatWord() throws Exception {
        String word = longestWord(product.get("name").asText());
        long matching = api("/api/v1/products?size=1&q=" + encode(word)).get("total").asLong();
        assertThat(matching).as("products matching %s", word).isBetween(1L, 9_999L);
        visit("#/");
        seeCount("10,000 products");

        visible(By.id("catalog-q")).sendKeys(word);

        seeCount(count(matching) + " results for “" + word + "”");
        assertThat(cards()).isNotEmpty().allSatisfy(card -> assertThat(card.name()).containsIgnoringCase(word));
    }

    @Test
    void choosingACategoryShowsOnlyProductsOfThatCategory() throws Exception {
        String category = product.get("category").asText();
        long inCategory = api("/api/v1/products?size=1&category=" + encode(category)).get("total").asLong();
        visit("#/");
        seeCount("10,000 products");
        assertThat(cards().stream().map(Card::category).distinct()).as("categories before filtering").hasSizeGreaterThan(1);

        until("the category filter offers " + category,
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#catalog-category option[value='" + category + "']")));
        new Select(visible(By.id("catalog-category"))).selectByVisibleText(category);

        seeCount(count(inCategory) + " products in " + category);
        // the card shows the category in capitals (CSS), so compare as a reader would
        assertThat(cards()).isNotEmpty().allSatisfy(card -> assertThat(card.category()).isEqualToIgnoringCase(category));
    }

    @Test
    void aProductPageShowsItsNamePriceImageAndTheEdgeCacheBadge() {
        String name = product.get("name").asText();
        visit("#/");
        seeCount("10,000 products");
        visible(By.id("catalog-q")).sendKeys(name);

        until("the card of " + name + " in the search results",
                ExpectedConditions.elementToBeClickable(By.cssSelector("a.card-link[href='#/products/" + product.get("id").asLong() + "']")))
                .click();

        seeText(By.cssSelector("article.product h1"), name);
        assertThat(visible(By.cssSelector("article.product .price-large")).getText()).isEqualTo(price(product));
        until("the product image loaded", driver -> browser.executeScript(
                "const img = document.querySelector('article.product img.product-image');"
                        + " return img !== null && img.complete && img.naturalWidth > 0;"));
        assertThat(visible(By.cssSelector("article.product .edge-badge")).getText()).matches("edge: (MISS|HIT)");
    }

    @Test
    void aNewCustomerRegistersSignsOutAndSignsInAgain() {
        String email = uniqueEmail();
        visit("#/");

        visible(By.cssSelector("#account a[href='#/register']")).click();
        fill("Name", "Grace Hopper");
        fill("E-mail", email);
        fill("Password", PASSWORD);
        submit("Create account");
        seeText(By.cssSelector("#account .signed-in"), "Signed in as Grace Hopper");

        visible(By.xpath("//*[@id='account']//button[normalize-space()='Sign out']")).click();
        seeText(By.id("flash"), "You are signed out.");
        visible(By.cssSelector("#account a[href='#/signin']")).click();
        fill("E-mail", email);
        fill("Password", PASSWORD);
        submit("Sign in");
        seeText(By.cssSelector("#account .signed-in"), "Signed in as Grace Hopper");
    }

    @Test
    void aWrongPasswordShowsTheProblemInlineAndSignsNobodyIn() throws Exception {
        String email = uniqueEmail();
        assertThat(postJson("/api/v1/users", Map.of("email", email, "password", PASSWORD, "name", "Alan Turing")).statusCode())
                .isEqualTo(201);
        HttpResponse<String> refused = postJson("/api/v1/auth/token", Map.of("email", email, "password", "not the password"));
        assertThat(refused.statusCode()).isEqualTo(401);
        JsonNode problem = Json.mapper().readTree(refused.body());
        visit("#/signin");

        fill("E-mail", email);
        fill("Password", "not the password");
        submit("Sign in");

        WebElement error = visible(By.cssSelector("form.auth-form .form-error [role='alert']"));
        assertThat(error.getText()).contains(problem.get("title").asText(), problem.get("detail").asText());
        assertThat(field("Password").getDomProperty("value")).isEmpty();
        assertThat(visible(By.cssSelector("#account a[href='#/signin']")).getText()).isEqualTo("Sign in");
    }

    @Test
    void theCartBadgeCountsWhatTheShopperAddsChangesAndRemoves() {
        visit("#/");
        seeCount("10,000 products");
        List<Card> shown = cards();
        assertThat(browser.findElements(CART_COUNT)).as("a cart count before anything is in the cart").isEmpty();

        addFromCard(0);
        seeText(CART_COUNT, "1");
        addFromCard(1);
        seeText(CART_COUNT, "2");
        addFromCard(0);
        seeText(CART_COUNT, "3");
        assertThat(visible(By.cssSelector("#nav-links a[href='#/cart']")).getDomAttribute("aria-label")).isEqualTo("Cart, 3 items");

        visible(By.cssSelector("#nav-links a[href='#/cart']")).click();
        WebElement first = cartLine(shown.get(0).name());
        assertThat(first.findElement(By.cssSelector("input[name='quantity']")).getDomProperty("value")).isEqualTo("2");
        assertThat(first.findElement(By.className("cart-line-total")).getText()).isEqualTo(dollars(2 * cents(shown.get(0).price())));
        seeText(By.cssSelector(".summary dd.summary-total"), dollars(2 * cents(shown.get(0).price()) + cents(shown.get(1).price())));

        setQuantity(cartLine(shown.get(1).name()), "4");
        seeText(CART_COUNT, "6");
        seeText(By.cssSelector(".summary dd.summary-total"), dollars(2 * cents(shown.get(0).price()) + 4 * cents(shown.get(1).price())));

        cartLine(shown.get(0).name()).findElement(By.className("cart-line-remove")).click();
        seeText(CART_COUNT, "4");
        seeText(By.id("flash"), "Removed " + shown.get(0).name() + " from your cart.");
        cartLine(shown.get(1).name()).findElement(By.className("cart-line-remove")).click();
        seeText(By.cssSelector(".cart-empty .notice-title"), "Your cart is empty");
        until("no cart count", ExpectedConditions.invisibilityOfElementLocated(CART_COUNT));
    }

    @Test
    void aShopperPaysWithTheVisaTestCardSeesTheOrderConfirmedAndFindsItInOrdersAndNotifications() throws Exception {
        JsonNode item = productInStock(37);
        String name = item.get("name").asText();
        register("Katherine Johnson", uniqueEmail());

        visit("#/products/" + item.get("id").asLong());
        seeText(By.cssSelector("article.product h1"), name);
        fill("Quantity", "2");
        submit("Add to cart");
        seeText(CART_COUNT, "2");
        visible(By.cssSelector("#nav-links a[href='#/cart']")).click();
        setQuantity(cartLine(name), "3");
        seeText(CART_COUNT, "3");

        visible(By.xpath("//a[normalize-space()='Check out']")).click();
        assertThat(visible(By.cssSelector("input[name='payment_token'][value='tok_visa']")).isSelected())
                .as("the Visa test card is the default").isTrue();
        submit("Place order");

        String id = orderOnItsPage();
        seeStatus("CONFIRMED");
        seeText(By.cssSelector(".order .page-head .status-badge"), "Confirmed");
        seeText(By.cssSelector(".order-live"), "Your order is confirmed.");
        assertThat(visible(By.cssSelector(".order-items .order-total")).getText()).isEqualTo(dollars(3 * cents(price(item))));
        assertThat(visible(By.cssSelector(".order-items tbody")).getText()).contains(name);
        assertThat(browser.findElements(By.cssSelector(".timeline .timeline-label")).stream().map(WebElement::getText))
                .startsWith("Pending").endsWith("Confirmed");
        assertThat(browser.findElements(By.cssSelector(".timeline time"))).as("a time for each status").hasSizeGreaterThanOrEqualTo(2);
        until("the cart is empty again", ExpectedConditions.invisibilityOfElementLocated(CART_COUNT));

        visible(By.cssSelector("#nav-links a[href='#/orders']")).click();
        seeText(By.cssSelector("li.order-row[data-order-id='" + id + "'] .status-badge"), "Confirmed");
        assertThat(visible(By.cssSelector(".order-list > li.order-row:first-child")).getDomAttribute("data-order-id"))
                .as("the newest order first").isEqualTo(id);

        visible(By.cssSelector("#nav-links a[href='#/notifications']")).click();
        WebElement notice = until("a notification about order " + id, ORDER_PATIENCE, ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//li[contains(@class,'notification')][.//a[@href='#/orders/" + id + "']]")));
        assertThat(notice.getDomAttribute("data-kind")).isEqualTo("order_confirmed");
        assertThat(notice.findElement(By.className("notification-subject")).getText()).isNotBlank();
        notice.findElement(By.cssSelector("a[href='#/orders/" + id + "']")).click();
        seeStatus("CONFIRMED");
    }

    @Test
    void aVisitorSignsInAtCheckoutAndADeclinedTestCardEndsTheOrderRejected() throws Exception {
        JsonNode item = productInStock(38);
        String email = uniqueEmail();
        assertThat(postJson("/api/v1/users", Map.of("email", email, "password", PASSWORD, "name", "Dorothy Vaughan")).statusCode())
                .isEqualTo(201);
        visit("#/products/" + item.get("id").asLong());
        seeText(By.cssSelector("article.product h1"), item.get("name").asText());
        submit("Add to cart");
        seeText(CART_COUNT, "1");

        visible(By.cssSelector("#nav-links a[href='#/cart']")).click();
        visible(By.xpath("//a[normalize-space()='Check out']")).click();
        fill("E-mail", email);
        fill("Password", PASSWORD);
        submit("Sign in");
        visible(By.cssSelector("input[name='payment_token'][value='tok_decline']")).click();
        submit("Place order");

        String id = orderOnItsPage();
        seeStatus("REJECTED");
        seeText(By.cssSelector(".order .page-head .status-badge"), "Rejected");
        seeText(By.cssSelector(".order-reason"), "Payment declined");
        seeText(By.cssSelector(".order-live"), "Your order was rejected: Payment declined.");

        visible(By.cssSelector("#nav-links a[href='#/orders']")).click();
        seeText(By.cssSelector("li.order-row[data-order-id='" + id + "'] .status-badge"), "Rejected");
        seeText(By.cssSelector("li.order-row[data-order-id='" + id + "'] .order-row-reason"), "Payment declined");
    }

    // ---- what the shopper does and sees

    private static void visit(String route) {
        browser.get(system.edgeUrl() + "/" + route);
    }

    private static void fill(String label, String text) {
        WebElement input = field(label);
        input.clear();
        input.sendKeys(text);
    }

    /** The input a label names, as a person finds it. */
    private static WebElement field(String label) {
        WebElement labelElement = visible(By.xpath("//form//label[normalize-space()='" + label + "']"));
        return visible(By.id(labelElement.getDomAttribute("for")));
    }

    private static void submit(String label) {
        visible(By.xpath("//form//button[@type='submit' and normalize-space()='" + label + "']")).click();
    }

    private static WebElement visible(By locator) {
        return until(locator + " is visible", ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static void seeText(By locator, String text) {
        until(locator + " reads \"" + text + "\"", driver -> {
            WebElement element = driver.findElement(locator);
            return element.isDisplayed() && element.getText().strip().equals(text);
        });
    }

    private static void register(String name, String email) {
        visit("#/register");
        fill("Name", name);
        fill("E-mail", email);
        fill("Password", PASSWORD);
        submit("Create account");
        seeText(By.cssSelector("#account .signed-in"), "Signed in as " + name);
    }

    private static void addFromCard(int index) {
        until("card " + index + " can be added to the cart", driver -> {
            List<WebElement> buttons = driver.findElements(By.cssSelector(".product-grid > li.card:not(.card-skeleton) .card-add"));
            return buttons.size() > index && buttons.get(index).isDisplayed() ? buttons.get(index) : null;
        }).click();
    }

    /** The cart page's line of a product, found by its name. */
    private static WebElement cartLine(String name) {
        return visible(By.xpath("//li[contains(@class,'cart-line')][.//*[contains(@class,'cart-line-name')][normalize-space()="
                + xpathLiteral(name) + "]]"));
    }

    private static void setQuantity(WebElement line, String quantity) {
        line.findElement(By.cssSelector("input[name='quantity']")).sendKeys(Keys.chord(Keys.CONTROL, "a"), quantity);
    }

    /** After "Place order": the order's page, and the order's id from its address. */
    private static String orderOnItsPage() {
        String url = until("the order's page", driver -> ORDER_ROUTE.matcher(driver.getCurrentUrl()).find() ? driver.getCurrentUrl() : null);
        visible(ORDER);
        Matcher route = ORDER_ROUTE.matcher(url);
        assertThat(route.find()).isTrue();
        return route.group(1);
    }

    /** The order page follows the order until it reaches {@code status}. */
    private static void seeStatus(String status) {
        until("the order reaches " + status, ORDER_PATIENCE,
                driver -> status.equals(driver.findElement(ORDER).getDomAttribute("data-status")));
    }

    private static void seeCount(String text) {
        seeText(RESULT_COUNT, text);
    }

    /** The cards of the grid once it has loaded; call after the result count says what to expect. */
    private static List<Card> cards() {
        return until("the product cards", ExpectedConditions.visibilityOfAllElementsLocatedBy(CARDS)).stream()
                .map(card -> new Card(
                        card.findElement(By.className("card-title")).getText(),
                        card.findElement(By.className("card-category")).getText(),
                        card.findElement(By.className("price")).getText(),
                        card.findElement(By.className("card-link")).getDomAttribute("href")))
                .toList();
    }

    /** A fresh wait per call, so one's message never sticks to the next. */
    private static <T> T until(String what, ExpectedCondition<T> condition) {
        return until(what, PATIENCE, condition);
    }

    private static <T> T until(String what, Duration patience, ExpectedCondition<T> condition) {
        return new WebDriverWait(browser, patience, POLL)
                .ignoring(StaleElementReferenceException.class)
                .withMessage("waiting until " + what)
                .until(condition);
    }

    // ---- what the API says

    /** A GET that accepts gzip as the browser does: the two share the edge's cache entries. */
    private static JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + path))
                .timeout(Duration.ofSeconds(10)).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        boolean gzipped = response.headers().firstValue("Content-Encoding").filter("gzip"::equalsIgnoreCase).isPresent();
        try (InputStream body = gzipped
                ? new GZIPInputStream(new ByteArrayInputStream(response.body()))
                : new ByteArrayInputStream(response.body())) {
            return Json.mapper().readTree(body);
        }
    }

    private static HttpResponse<String> postJson(String path, Map<String, String> body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A product with stock for a few orders, from a page of the catalog that no other test reads. */
    private static JsonNode productInStock(int page) throws IOException, InterruptedException {
        return stream(api("/api/v1/products?size=50&page=" + page).get("items"))
                .filter(p -> p.get("stock").asInt() >= 10).findFirst().orElseThrow();
    }

    /** A product's price as the storefront shows it in US English: {@code {"amount": 129999}} is "$1,299.99". */
    private static String price(JsonNode product) {
        assertThat(product.get("price").get("currency").asText()).isEqualTo("USD");
        return dollars(product.get("price").get("amount").asLong());
    }

    private static String dollars(long cents) {
        return NumberFormat.getCurrencyInstance(Locale.US).format(BigDecimal.valueOf(cents, 2));
    }

    /** "$1,299.99" is 129999. */
    private static long cents(String dollars) {
        return new BigDecimal(dollars.replaceAll("[$,]", "")).movePointRight(2).longValueExact();
    }

    private static String xpathLiteral(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }

    private static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    private static String longestWord(String name) {
        return Arrays.stream(name.split(" ")).filter(w -> w.chars().allMatch(Character::isLetter))
                .max(Comparator.comparingInt(String::length)).orElseThrow();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String uniqueEmail() {
        return "browser-" + UUID.randomUUID() + "@example.com";
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
