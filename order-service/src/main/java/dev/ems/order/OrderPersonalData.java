package dev.ems.order;

import dev.ems.core.audit.PersonalData;
import dev.ems.core.audit.PersonalData.Normalisation;
import java.util.Map;

/**
 * What in an order is personal data, and so reaches the audit trail only as a pseudonym (README, "Personal data in
 * the audit trail"): the shipping address, one free text holding all its parts (name, street, city, postcode), and
 * the notes, free text in which customers write delivery instructions, names and phone numbers that the service
 * cannot tell apart from the rest; both as stored. The rest stays readable: ids (the user's too: user-service's
 * trail says whose it is, in pseudonyms), status, items, amounts and currency say what was ordered, not by whom.
 */
final class OrderPersonalData {
    static final PersonalData ORDER = new PersonalData(
            OrderService.ENTITY, Map.of("shipping_address", Normalisation.AS_STORED, "notes", Normalisation.AS_STORED));

    private OrderPersonalData() {}
}
