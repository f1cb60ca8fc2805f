package archway.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The catalog's made-up products: the same products, in the same order, on every machine
 * and every run, because every choice comes from one {@link Random} with a fixed seed (its
 * algorithm is fixed by the Java specification). Names read like a shop's: adjective,
 * finish, kind of product and a model number.
 */
final class ProductGenerator {

    static final long SEED = 20_261_101L;
    static final int PRODUCTS = 10_000;

    /** A category with its code (for SKUs), colour (for images), price range in dollars and kinds of product. */
    record Kind(String category, String code, String colour, int minDollars, int maxDollars, List<String> nouns) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("Audio", "AUD", "#3b5bdb", 19, 899, List.of("Headphones", "Speaker", "Soundbar", "Earbuds", "Turntable", "Amplifier")),
            new Kind("Books", "BOK", "#a05a2c", 5, 79, List.of("Cookbook", "Novel", "Atlas", "Field Guide", "Notebook", "Anthology")),
            new Kind("Cameras", "CAM", "#495057", 49, 2499, List.of("Camera", "Lens", "Tripod", "Flash", "Camera Bag", "Gimbal")),
            new Kind("Clothing", "CLO", "#d6336c", 9, 249, List.of("Jacket", "Sweater", "T-Shirt", "Hoodie", "Scarf", "Trousers")),
            new Kind("Computers", "CMP", "#1c7ed6", 29, 2999, List.of("Laptop", "Monitor", "Keyboard", "Mouse", "Docking Station", "Webcam")),
            new Kind("Footwear", "FTW", "#e8590c", 19, 299, List.of("Sneakers", "Boots", "Sandals", "Loafers", "Slippers", "Trail Shoes")),
            new Kind("Furniture", "FUR", "#8d6e63", 39, 1999, List.of("Armchair", "Desk", "Bookshelf", "Side Table", "Stool", "Sofa")),
            new Kind("Garden", "GDN", "#2f9e44", 4, 599, List.of("Planter", "Hose", "Trowel", "Bird Feeder", "Lantern", "Seed Kit")),
            new Kind("Grocery", "GRO", "#f08c00", 2, 49, List.of("Coffee Beans", "Olive Oil", "Tea Sampler", "Honey", "Granola", "Hot Sauce")),
            new Kind("Health", "HLT", "#12b886", 4, 199, List.of("Yoga Mat", "Water Bottle", "Massage Roller", "Scale", "First Aid Kit", "Sleep Mask")),
            new Kind("Home Decor", "DEC", "#ae3ec9", 9, 399, List.of("Vase", "Wall Clock", "Cushion", "Rug", "Mirror", "Candle")),
            new Kind("Jewelry", "JWL", "#c2255c", 19, 1499, List.of("Necklace", "Bracelet", "Ring", "Earrings", "Watch", "Brooch")),
            new Kind("Kitchen", "KIT", "#e03131", 7, 699, List.of("Chef Knife", "Skillet", "Kettle", "Blender", "Cutting Board", "Dutch Oven")),
            new Kind("Music", "MUS", "#7048e8", 9, 1999, List.of("Guitar", "Ukulele", "Keyboard", "Drum Pad", "Harmonica", "Metronome")),
            new Kind("Office", "OFF", "#5c7cfa", 3, 399, List.of("Desk Lamp", "Planner", "Pen Set", "Organizer", "Whiteboard", "Paper Tray")),
            new Kind("Outdoors", "OUT", "#2b8a3e", 9, 899, List.of("Tent", "Backpack", "Sleeping Bag", "Headlamp", "Camp Stove", "Hammock")),
            new Kind("Pets", "PET", "#f59f00", 4, 249, List.of("Dog Bed", "Cat Tree", "Leash", "Feeder", "Chew Toy", "Carrier")),
            new Kind("Sports", "SPT", "#0ca678", 9, 999, List.of("Football", "Tennis Racket", "Bicycle Helmet", "Dumbbells", "Jump Rope", "Kettlebell")),
            new Kind("Toys", "TOY", "#fa5252", 4, 199, List.of("Puzzle", "Building Set", "Plush Bear", "Kite", "Board Game", "Train Set")),
            new Kind("Video Games", "VID", "#4263eb", 9, 599, List.of("Controller", "Console", "Racing Wheel", "Headset", "Game Card", "Charging Dock")));

    private static final List<String> ADJECTIVES = List.of("Classic", "Compact", "Deluxe", "Eco", "Essential", "Everyday",
            "Premium", "Pro", "Smart", "Ultra", "Vintage", "Portable", "Modern", "Rugged", "Lightweight", "Signature",
            "Urban", "Heritage", "Nordic", "Studio");
    private static final List<String> FINISHES = List.of("Walnut", "Graphite", "Ivory", "Copper", "Indigo", "Sage",
            "Crimson", "Slate", "Amber", "Pearl", "Cobalt", "Olive", "Sand", "Onyx", "Coral", "Teal");
    private static final List<String> FEATURES = List.of("built to last for years", "designed for everyday use",
            "made from responsibly sourced materials", "with a two-year warranty", "tested by our own team",
            "easy to clean and care for", "light enough to take anywhere", "with thoughtful details throughout");
    private static final List<String> BENEFITS = List.of("A favourite of our customers.", "Makes a great gift.",
            "Pairs well with the rest of the range.", "Ships in recyclable packaging.", "Our best value in its class.",
            "Limited run while stocks last.");

    private ProductGenerator() {
    }

    /** The first {@code count} products, ids 1 to {@code count}. */
    static List<Product> generate(int count) {
        Random random = new Random(SEED);
        List<Product> products = new ArrayList<>(count);
        for (long id = 1; id <= count; id++) {
            products.add(product(id, random));
        }
        return products;
    }

    static Kind kindOf(Product product) {
        return KINDS.stream().filter(kind -> kind.category().equals(product.category())).findFirst().orElseThrow();
    }

    private static Product product(long id, Random random) {
        Kind kind = pick(KINDS, random);
        String adjective = pick(ADJECTIVES, random);
        String finish = pick(FINISHES, random);
        String noun = pick(kind.nouns(), random);
        String name = adjective + " " + finish + " " + noun + " " + (100 + random.nextInt(900));
        String description = "A " + adjective.toLowerCase() + " " + noun.toLowerCase() + " in " + finish.toLowerCase()
                + ", " + pick(FEATURES, random) + ". " + pick(BENEFITS, random);
        long cents = (kind.minDollars() + random.nextInt(kind.maxDollars() - kind.minDollars() + 1)) * 100L + 99;
        int stock = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(500);
        return Product.of(id, "%s-%06d".formatted(kind.code(), id), name, description, kind.category(), Money.usd(cents), stock);
    }

    private static <T> T pick(List<T> options, Random random) {
        return options.get(random.nextInt(options.size()));
    }
}
