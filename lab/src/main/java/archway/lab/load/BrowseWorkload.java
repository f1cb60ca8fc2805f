package archway.lab.load;

import java.util.List;
import java.util.SplittableRandom;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * The {@code browse} scenario: product pages by popularity, now and then a page of the
 * listing. Product ids follow a Zipf law (id 1 the most visited), and so do listing pages
 * (page 1 the most visited): what a cache in front of the catalog sees from real shoppers.
 */
final class BrowseWorkload implements Workload {

    /** The products of the seeded catalog, ids 1 to this. */
    static final int PRODUCTS = 10_000;
    /** The catalog's default page size: the listing has {@code PRODUCTS / PAGE_SIZE} pages. */
    static final int PAGE_SIZE = 20;

    private final String target;
    private final ZipfSampler products;
    private final ZipfSampler pages;
    private final double listShare;
    private final SplittableRandom random;
    private final List<FixedRequest.Header> headers;

    /**
     * @param target       the base URL, without a trailing slash
     * @param zipfExponent the Zipf law's {@code s}
     * @param listShare    the share of requests that ask for a listing page, 0 to 1
     * @param seed         the draws' seed: equal seeds, equal request sequences
     * @param headers      sent with every request (such as {@code Cache-Control: no-store}, to measure without the HTTP caches)
     */
    BrowseWorkload(String target, double zipfExponent, double listShare, long seed, List<FixedRequest.Header> headers) {
        this.target = target;
        this.products = new ZipfSampler(PRODUCTS, zipfExponent);
        this.pages = new ZipfSampler(PRODUCTS / PAGE_SIZE, zipfExponent);
        this.listShare = listShare;
        this.random = new SplittableRandom(seed);
        this.headers = List.copyOf(headers);
    }

    @Override
    public Request next(HttpClient client) {
        String url = random.nextDouble() < listShare
                ? target + "/api/v1/products?page=" + pages.next(random)
                : target + "/api/v1/products/" + products.next(random);
        return FixedRequest.withHeaders(client.newRequest(url), headers);
    }
}
