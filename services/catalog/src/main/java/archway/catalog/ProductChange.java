package archway.catalog;

import archway.platform.problem.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An administrator's change of a product ({@code PATCH /api/v1/products/{id}}): the fields
 * given are changed, the others kept. Read strictly from the JSON tree, so a string where a
 * number belongs, an unknown field or an empty object is a {@code 400} rather than a silent
 * coercion or a change of nothing.
 *
 * @param price       the new price, or null
 * @param name        the new name, or null
 * @param description the new description, or null
 * @param stock       the new units available (through the inventory), or null
 */
public record ProductChange(Money price, String name, String description, Integer stock) {

    public static final long MAX_PRICE = 100_000_000;
    public static final int MAX_NAME = 200;
    public static final int MAX_DESCRIPTION = 2_000;

    public ProductChange {
        if (price == null && name == null && description == null && stock == null) {
            throw ProblemException.badRequest("name at least one of price, name, description, stock to change");
        }
        if (price != null && (price.amount() < 1 || price.amount() > MAX_PRICE)) {
            throw ProblemException.badRequest("price.amount is in minor units, 1 to " + MAX_PRICE + ", was " + price.amount());
        }
        if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
            throw ProblemException.badRequest("name must be 1 to " + MAX_NAME + " characters, not blank");
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ProblemException.badRequest("description must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (stock != null && stock < 0) {
            throw ProblemException.badRequest("stock must not be negative, was " + stock);
        }
    }

    /** The body of the request, or a {@code 400} naming what is wrong with it. */
    public static ProductChange parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("the request body must be a JSON object");
        }
        Money price = null;
        String name = null;
        String description = null;
        Integer stock = null;
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "price" -> price = money(value);
                case "name" -> name = text("name", value);
                case "description" -> description = text("description", value);
                case "stock" -> stock = Math.toIntExact(whole("stock", value, Integer.MAX_VALUE));
                default -> throw ProblemException.badRequest("unknown field '" + abbreviate(field.getKey())
                        + "'; a product change has price, name, description, stock");
            }
        }
        return new ProductChange(price, name, description, stock);
    }

    /** The fields changed, as the API names them: what {@code ProductChanged} reports. */
    public List<String> changed() {
        List<String> changed = new ArrayList<>(4);
        if (price != null) {
            changed.add("price");
        }
        if (name != null) {
            changed.add("name");
        }
        if (description != null) {
            changed.add("description");
        }
        if (stock != null) {
            changed.add("stock");
        }
        return changed;
    }

    /** Whether the product row changes (stock lives in the inventory). */
    boolean changesRow() {
        return price != null || name != null || description != null;
    }

    private static Money money(JsonNode value) {
        if (!value.isObject()) {
            throw ProblemException.badRequest("field 'price' must be an object {amount, currency}");
        }
        JsonNode amount = value.get("amount");
        JsonNode currency = value.get("currency");
        if (amount == null || currency == null || value.size() != 2) {
            throw ProblemException.badRequest("field 'price' must have exactly amount and currency");
        }
        return new Money(whole("price.amount", amount, MAX_PRICE), text("price.currency", currency));
    }

    private static long whole(String field, JsonNode value, long max) {
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() > max) {
            throw ProblemException.badRequest("field '" + field + "' must be a whole number up to " + max);
        }
        return value.asLong();
    }

    private static String text(String field, JsonNode value) {
        if (!value.isTextual()) {
            throw ProblemException.badRequest("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
