#ifndef HATIF_FAST_PHONE_PARSER_H
#define HATIF_FAST_PHONE_PARSER_H

// libphonenumber's Parse, GetNumberType, IsPossibleNumber, GetRegionCodeForNumber and Format(E164), for
// the forms nearly every export holds: digits with spaces, dashes, dots, parentheses or slashes, and
// perhaps a leading `+`. It follows the library's own steps on the library's own metadata (the compiled-in
// PhoneMetadataCollection the library loads itself), with DigitPattern in place of ICU, so it gives the same
// answers some twenty times faster. Whatever is outside those forms or those steps (letters, extensions,
// two-digit texts, unknown country codes, errors, a pattern outside DigitPattern's subset) it declines, and
// the caller asks libphonenumber; a test compares the two on over a million numbers.

#include "CPhoneNumber.h"
#include "DigitPattern.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hatif {

class FastPhoneParser {
public:
    /// The parser over the library's metadata, built once; nullptr when the metadata could not be read.
    static const FastPhoneParser *shared();

    /// Fills `out` as hpn_parse does and returns true, or returns false (out untouched) to leave the text
    /// to libphonenumber.
    bool parse(const char *text, size_t length, const char *default_region, hpn_result *out) const;

private:
    struct Description {
        std::vector<int> lengths;
        std::vector<int> local_lengths;
        DigitPattern pattern;
        bool has_pattern = false;
    };
    struct Region;
    enum class Length { kPossible, kLocalOnly, kTooShort, kTooLong, kInvalid };
    // Answers of the steps; kDeclined when a pattern gave up.
    enum class Answer { kYes, kNo, kDeclined };

    bool load();
    const Region *region(const char *code) const;
    /// The regions of `country_code` in the library's order, or nullptr for a code the library does not know.
    const std::vector<const Region *> *regions_of(int country_code) const;
    const Region *main_region(int country_code) const;
    static Answer matches(const Description &description, const std::string &number);
    static Answer matches_length_and_pattern(const Description &description, const std::string &number);
    static Length test_length(const std::string &number, const Region &region);
    bool number_type(const std::string &number, const Region &region, int *type) const;
    bool strip_national_prefix(const Region &region, std::string *number) const;
    /// Puts `candidate` (the number without its national prefix) in place of `number`, unless `number` fit
    /// the region's patterns (`viable`) and the candidate does not. False when a pattern gave up.
    static bool adopt(const Region &region, Answer viable, const std::string &candidate, std::string *number);

    std::vector<std::unique_ptr<Region>> regions_;
    std::map<int, std::vector<const Region *>> by_country_code_;
    std::map<int, const Region *> non_geographic_;
    // Tables filled by `load`: the region of each two-letter code (`AA` to `ZZ`, every geographic region's)
    // and the regions of each country code (all below 1000, the map above as a table). Looking up a tree of
    // some 250 region codes and the one of 215 country codes took a third of the parser's own time, some 3%
    // of the client's read + map + plan.
    static constexpr int kLetterCodes = 26 * 26;
    static constexpr int kCountryCodes = 1000;
    std::vector<const Region *> by_letters_;
    std::vector<const std::vector<const Region *> *> by_number_;
};

} // namespace hatif

#endif
