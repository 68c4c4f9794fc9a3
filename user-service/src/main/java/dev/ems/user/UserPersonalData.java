package dev.ems.user;

import dev.ems.core.audit.PersonalData;
import dev.ems.core.audit.PersonalData.Normalisation;
import java.util.Map;

/**
 * What in a user is personal data, and so reaches the audit trail only as a pseudonym (README, "Personal data in the
 * audit trail"): the email (lowercased, as the service compares emails: one address is one user whatever its case),
 * the phone, the first and the last name (as stored). The rest stays readable: the id, role and status say what
 * happened, not to whom; the subject is the issuer's opaque id of the account, which the trail already names as the
 * actor of every change that account makes, so hiding it here would hide nothing.
 */
final class UserPersonalData {
    static final PersonalData USER = new PersonalData(
            UserService.ENTITY,
            Map.of(
                    "email", Normalisation.ASCII_LOWERCASE,
                    "phone", Normalisation.AS_STORED,
                    "first_name", Normalisation.AS_STORED,
                    "last_name", Normalisation.AS_STORED));

    private UserPersonalData() {}
}
