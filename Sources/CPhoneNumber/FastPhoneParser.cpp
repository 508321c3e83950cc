#include "FastPhoneParser.h"

#include <algorithm>
#include <cstring>
#include <list>

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

// The compiled-in metadata that PhoneNumberUtil itself loads. The library exports these two functions but
// does not install their header (metadata.h), so they are declared here as the library defines them.
namespace i18n {
namespace phonenumbers {
int metadata_size();
const void *metadata_get();
} // namespace phonenumbers
} // namespace i18n

namespace hatif {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// The limits of PhoneNumberUtil: national significant numbers of 2 to 17 digits, country codes of 1 to 3.
constexpr size_t kMinLengthForNsn = 2;
constexpr size_t kMaxLengthForNsn = 17;
constexpr size_t kMaxLengthCountryCode = 3;

/// The index of a two-letter region code (`AA` to `ZZ`) in `by_letters_`, or -1 for any other text.
int letter_index(const char *code) {
    const auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
    if (!letter(code[0]) || !letter(code[1]) || code[2] != '\0') {
        return -1;
    }
    return (code[0] - 'A') * 26 + (code[1] - 'A');
}

// Texts longer than this, or with more digits, are left to the library.
constexpr size_t kMaxText = 64;
constexpr int kMaxDigits = 24;

void copy_string(const std::string &value, char *destination, size_t capacity) {
    const size_t count = value.size() < capacity - 1 ? value.size() : capacity - 1;
    std::memcpy(destination, value.data(), count);
    destination[count] = '\0';
}

bool is_separator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

} // namespace

struct FastPhoneParser::Region {
    std::string code;
    int country_code = 0;
    Description general, premium_rate, toll_free, shared_cost, voip, personal_number, pager, uan, voicemail,
        fixed_line, mobile;
    bool same_mobile_and_fixed_line = false;
    DigitPattern international_prefix;
    bool has_international_prefix = false;
    DigitPattern national_prefix_for_parsing;
    bool has_national_prefix_for_parsing = false;
    std::string transform_rule;
    DigitPattern leading_digits;
    bool has_leading_digits = false;
    /// False when a pattern or rule is outside what this parser follows: the region is left to the library.
    bool usable = true;
};

const FastPhoneParser *FastPhoneParser::shared() {
    static const FastPhoneParser *const parser = [] {
        auto *made = new FastPhoneParser();
        if (!made->load()) {
            delete made;
            return static_cast<FastPhoneParser *>(nullptr);
        }
        return made;
    }();
    return parser;
}

bool FastPhoneParser::load() {
    PhoneMetadataCollection collection;
    if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size())) {
        return false;
    }
    auto describe = [](const PhoneNumberDesc &source, Description *target) {
        target->lengths.assign(source.possible_length().begin(), source.possible_length().end());
        target->local_lengths.assign(source.possible_length_local_only().begin(),
                                     source.possible_length_local_only().end());
        if (source.national_number_pattern().empty()) {
            return true;
        }
        target->has_pattern = true;
        return target->pattern.compile(source.national_number_pattern());
    };
    by_letters_.assign(kLetterCodes, nullptr);
    for (const PhoneMetadata &metadata : collection.metadata()) {
        auto region = std::make_unique<Region>();
        region->code = metadata.id();
        region->country_code = metadata.country_code();
        bool usable = true;
        usable &= describe(metadata.general_desc(), &region->general);
        usable &= describe(metadata.premium_rate(), &region->premium_rate);
        usable &= describe(metadata.toll_free(), &region->toll_free);
        usable &= describe(metadata.shared_cost(), &region->shared_cost);
        usable &= describe(metadata.voip(), &region->voip);
        usable &= describe(metadata.personal_number(), &region->personal_number);
        usable &= describe(metadata.pager(), &region->pager);
        usable &= describe(metadata.uan(), &region->uan);
        usable &= describe(metadata.voicemail(), &region->voicemail);
        usable &= describe(metadata.fixed_line(), &region->fixed_line);
        usable &= describe(metadata.mobile(), &region->mobile);
        usable &= !region->general.lengths.empty();
        region->same_mobile_and_fixed_line = metadata.same_mobile_and_fixed_line_pattern();
        if (!metadata.international_prefix().empty()) {
            region->has_international_prefix = true;
            usable &= region->international_prefix.compile(metadata.international_prefix());
        }
        if (!metadata.national_prefix_for_parsing().empty()) {
            region->has_national_prefix_for_parsing = true;
            usable &= region->national_prefix_for_parsing.compile(metadata.national_prefix_for_parsing());
        }
        region->transform_rule = metadata.national_prefix_transform_rule();
        // A rule of digits and single-digit group references ($1, $2) that the pattern has.
        for (size_t i = 0; i < region->transform_rule.size(); ++i) {
            const char c = region->transform_rule[i];
            if (c == '$') {
                const bool reference = i + 1 < region->transform_rule.size() && region->transform_rule[i + 1] >= '1' &&
                    region->transform_rule[i + 1] - '0' <= region->national_prefix_for_parsing.group_count() &&
                    (i + 2 >= region->transform_rule.size() || region->transform_rule[i + 2] < '0' ||
                     region->transform_rule[i + 2] > '9');
                usable &= reference;
                ++i;
            } else if (c < '0' || c > '9') {
                usable = false;
            }
        }
        if (metadata.has_leading_digits()) {
            region->has_leading_digits = true;
            usable &= region->leading_digits.compile(metadata.leading_digits());
        }
        region->usable = usable;
        const Region *pointer = region.get();
        if (region->code == PhoneNumberUtil::kRegionCodeForNonGeoEntity) {
            non_geographic_[region->country_code] = pointer;
        } else if (const int index = letter_index(region->code.c_str()); index >= 0) {
            by_letters_[index] = pointer;
        }
        by_country_code_[region->country_code];
        regions_.push_back(std::move(region));
    }
    // The regions of each country code in the library's own order (its main region first).
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    for (auto &entry : by_country_code_) {
        std::list<std::string> codes;
        util->GetRegionCodesForCountryCallingCode(entry.first, &codes);
        for (const std::string &code : codes) {
            const Region *found = nullptr;
            if (code == PhoneNumberUtil::kRegionCodeForNonGeoEntity) {
                auto it = non_geographic_.find(entry.first);
                found = it == non_geographic_.end() ? nullptr : it->second;
            } else {
                found = region(code.c_str());
            }
            entry.second.push_back(found); // nullptr: the parser declines numbers of this code
        }
    }
    by_number_.assign(kCountryCodes, nullptr);
    for (const auto &entry : by_country_code_) {
        if (entry.first > 0 && entry.first < kCountryCodes) {
            by_number_[entry.first] = &entry.second; // a map's values stay where they are
        }
    }
    return true;
}


const FastPhoneParser::Region *FastPhoneParser::region(const char *code) const {
    // Every geographic region of the metadata has a code of two capital letters (the non-geographic
    // entity, 001, is never a default region).
    const int index = letter_index(code);
    return index >= 0 ? by_letters_[index] : nullptr;
}

const std::vector<const FastPhoneParser::Region *> *FastPhoneParser::regions_of(int country_code) const {
    return country_code > 0 && country_code < kCountryCodes ? by_number_[country_code] : nullptr;
}

const FastPhoneParser::Region *FastPhoneParser::main_region(int country_code) const {
    const std::vector<const Region *> *regions = regions_of(country_code);
    if (regions == nullptr || regions->empty()) {
        return nullptr;
    }
    return regions->front();
}

FastPhoneParser::Answer FastPhoneParser::matches(const Description &description, const std::string &number) {
    // As the library's matcher: an empty pattern matches nothing.
    if (!description.has_pattern) {
        return Answer::kNo;
    }
    const int result = description.pattern.full_match(number.data(), static_cast<int>(number.size()));
    return result == DigitPattern::kGaveUp ? Answer::kDeclined : (result == 1 ? Answer::kYes : Answer::kNo);
}

FastPhoneParser::Answer FastPhoneParser::matches_length_and_pattern(const Description &description,
                                                                    const std::string &number) {
    const int length = static_cast<int>(number.size());
    if (!description.lengths.empty() &&
        std::find(description.lengths.begin(), description.lengths.end(), length) == description.lengths.end()) {
        return Answer::kNo;
    }
    return matches(description, number);
}

FastPhoneParser::Length FastPhoneParser::test_length(const std::string &number, const Region &region) {
    const std::vector<int> &lengths = region.general.lengths;
    const std::vector<int> &local = region.general.local_lengths;
    if (lengths.front() == -1) {
        return Length::kInvalid;
    }
    const int length = static_cast<int>(number.size());
    if (std::find(local.begin(), local.end(), length) != local.end()) {
        return Length::kLocalOnly;
    }
    if (lengths.front() == length) {
        return Length::kPossible;
    }
    if (lengths.front() > length) {
        return Length::kTooShort;
    }
    if (lengths.back() < length) {
        return Length::kTooLong;
    }
    return std::find(lengths.begin() + 1, lengths.end(), length) != lengths.end() ? Length::kPossible
                                                                                  : Length::kInvalid;
}

bool FastPhoneParser::number_type(const std::string &number, const Region &region, int *type) const {
    *type = HPN_TYPE_UNKNOWN;
    Answer answer = matches_length_and_pattern(region.general, number);
    if (answer != Answer::kYes) {
        return answer == Answer::kNo;
    }
    const std::pair<const Description *, int> special[] = {
        {&region.premium_rate, HPN_TYPE_PREMIUM_RATE}, {&region.toll_free, HPN_TYPE_TOLL_FREE},
        {&region.shared_cost, HPN_TYPE_SHARED_COST},   {&region.voip, HPN_TYPE_VOIP},
        {&region.personal_number, HPN_TYPE_PERSONAL_NUMBER}, {&region.pager, HPN_TYPE_PAGER},
        {&region.uan, HPN_TYPE_UAN},                   {&region.voicemail, HPN_TYPE_VOICEMAIL},
    };
    for (const auto &candidate : special) {
        answer = matches_length_and_pattern(*candidate.first, number);
        if (answer == Answer::kDeclined) {
            return false;
        }
        if (answer == Answer::kYes) {
            *type = candidate.second;
            return true;
        }
    }
    const Answer fixed = matches_length_and_pattern(region.fixed_line, number);
    if (fixed == Answer::kDeclined) {
        return false;
    }
    if (fixed == Answer::kYes) {
        if (region.same_mobile_and_fixed_line) {
            *type = HPN_TYPE_FIXED_LINE_OR_MOBILE;
            return true;
        }
        const Answer mobile = matches_length_and_pattern(region.mobile, number);
        if (mobile == Answer::kDeclined) {
            return false;
        }
        *type = mobile == Answer::kYes ? HPN_TYPE_FIXED_LINE_OR_MOBILE : HPN_TYPE_FIXED_LINE;
        return true;
    }
    if (!region.same_mobile_and_fixed_line) {
        const Answer mobile = matches_length_and_pattern(region.mobile, number);
        if (mobile == Answer::kDeclined) {
            return false;
        }
        if (mobile == Answer::kYes) {
            *type = HPN_TYPE_MOBILE;
        }
    }
    return true;
}

bool FastPhoneParser::strip_national_prefix(const Region &region, std::string *number) const {
    if (number->empty() || !region.has_national_prefix_for_parsing) {
        return true;
    }
    const Answer viable = matches(region.general, *number);
    if (viable == Answer::kDeclined) {
        return false;
    }
    const DigitPattern &prefix = region.national_prefix_for_parsing;
    const int length = static_cast<int>(number->size());
    if (!region.transform_rule.empty()) {
        int captures[2 * DigitPattern::kMaxGroups];
        const int end = prefix.looking_at(number->data(), length, captures);
        if (end == DigitPattern::kGaveUp) {
            return false;
        }
        // The library asks for the carrier code and the captured part (groups 1 and 2) and, when the
        // pattern has one group only, for the captured part (group 1).
        const int group = prefix.group_count() >= 2 ? 2 : prefix.group_count();
        auto text_of = [&](int g) {
            const int start = captures[2 * (g - 1)], stop = captures[2 * (g - 1) + 1];
            return start < 0 || stop < start ? std::string() : number->substr(start, stop - start);
        };
        if (end >= 0 && group > 0 && !text_of(group).empty()) {
            std::string transformed;
            const std::string &rule = region.transform_rule;
            for (size_t i = 0; i < rule.size(); ++i) {
                if (rule[i] == '$') {
                    transformed += text_of(rule[i + 1] - '0');
                    ++i;
                } else {
                    transformed += rule[i];
                }
            }
            transformed += number->substr(end);
            return adopt(region, viable, transformed, number);
        }
    }
    const int end = prefix.looking_at(number->data(), length, nullptr);
    if (end == DigitPattern::kGaveUp) {
        return false;
    }
    if (end < 0) {
        return true;
    }
    return adopt(region, viable, number->substr(end), number);
}

bool FastPhoneParser::adopt(const Region &region, Answer viable, const std::string &candidate, std::string *number) {
    if (viable == Answer::kYes) {
        const Answer still = matches(region.general, candidate);
        if (still == Answer::kDeclined) {
            return false;
        }
        if (still == Answer::kNo) {
            return true; // the library keeps a number its patterns took over one they do not
        }
    }
    *number = candidate;
    return true;
}

bool FastPhoneParser::parse(const char *text, size_t length, const char *default_region, hpn_result *out) const {
    if (text == nullptr || default_region == nullptr || length > kMaxText) {
        return false;
    }
    const Region *home = region(default_region);
    if (home == nullptr || !home->usable || !home->has_international_prefix) {
        return false;
    }
    // Digits with separators, and perhaps one `+` before the first digit: the library's possible-number
    // extraction, viability check and normalisation keep just the digits and the plus of such a text, and
    // none of its extension patterns can match it (they all need a letter, `#`, `~`, `,` or `;`).
    // An extension written `x123` (or `X`, `x.`, `x:`, `x 123`, `x-123`) at the end, 1 to 9 digits: the one
    // extension form the library's pattern takes for these characters. It is cut with the spaces before it;
    // the result carries no extension. A `/` with an `x` is declined (the library reads a second number there).
    size_t number_length = length;
    size_t extension_start = length;
    for (size_t i = 0; i < length; ++i) {
        if (text[i] != 'x' && text[i] != 'X') {
            continue;
        }
        size_t j = i + 1;
        if (j < length && (text[j] == '.' || text[j] == ':')) {
            ++j;
        }
        while (j < length && (text[j] == ' ' || text[j] == '-')) {
            ++j;
        }
        const size_t first_digit = j;
        while (j < length && text[j] >= '0' && text[j] <= '9') {
            ++j;
        }
        if (j != length || j == first_digit || j - first_digit > 9 || std::memchr(text, '/', length) != nullptr) {
            return false;
        }
        number_length = i;
        extension_start = first_digit;
        while (number_length > 0 && text[number_length - 1] == ' ') {
            --number_length;
        }
        break;
    }
    char digits[kMaxDigits];
    int count = 0;
    bool plus = false;
    for (size_t i = 0; i < number_length; ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            if (count == kMaxDigits) {
                return false;
            }
            digits[count++] = c;
        } else if (c == '+') {
            if (plus || count > 0) {
                return false;
            }
            plus = true;
        } else if (!is_separator(c)) {
            return false;
        }
    }
    if (count < 3) {
        return false; // two digits alone follow another rule of the library's (and so may an extension's rest)
    }
    std::string national(digits, count);

    // The country code: after `+`, after the region's international prefix, or the region's own code
    // written without either, else the region's.
    enum class Source { kPlus, kInternationalPrefix, kWithoutPlus, kDefault } source = Source::kDefault;
    int country_code = 0;
    if (plus) {
        source = Source::kPlus;
    } else {
        const int end = home->international_prefix.looking_at(national.data(), count, nullptr);
        if (end == DigitPattern::kGaveUp) {
            return false;
        }
        // A prefix followed by 0 is not one: country codes never start with 0.
        if (end >= 0 && !(end < count && national[end] == '0')) {
            national.erase(0, end);
            source = Source::kInternationalPrefix;
        }
    }
    if (source != Source::kDefault) {
        if (national.size() <= kMinLengthForNsn || national[0] == '0') {
            return false; // the library's errors are its own to tell
        }
        int candidate = 0;
        for (size_t i = 1; i <= kMaxLengthCountryCode; ++i) {
            candidate = candidate * 10 + (national[i - 1] - '0'); // digits only, the first not 0
            if (regions_of(candidate) != nullptr) {
                country_code = candidate;
                national.erase(0, i);
                break;
            }
        }
        if (country_code == 0) {
            return false;
        }
    } else {
        const std::string own = std::to_string(home->country_code);
        if (national.compare(0, own.size(), own) == 0) {
            std::string potential = national.substr(own.size());
            if (!strip_national_prefix(*home, &potential)) {
                return false;
            }
            const Answer before = matches(home->general, national);
            const Answer after = matches(home->general, potential);
            if (before == Answer::kDeclined || after == Answer::kDeclined) {
                return false;
            }
            if ((before == Answer::kNo && after == Answer::kYes) || test_length(national, *home) == Length::kTooLong) {
                national = potential;
                country_code = home->country_code;
                source = Source::kWithoutPlus;
            }
        }
    }
    const Region *metadata = home;
    if (country_code != 0) {
        metadata = main_region(country_code);
    } else {
        country_code = home->country_code;
    }
    if (metadata == nullptr || !metadata->usable || national.size() < kMinLengthForNsn) {
        return false;
    }
    // The national prefix, when what is left is still a possible length.
    std::string potential = national;
    if (!strip_national_prefix(*metadata, &potential)) {
        return false;
    }
    const Length length_left = test_length(potential, *metadata);
    if (length_left != Length::kTooShort && length_left != Length::kLocalOnly && length_left != Length::kInvalid) {
        national = potential;
    }
    if (national.size() < kMinLengthForNsn || national.size() > kMaxLengthForNsn) {
        return false;
    }
    // `national` is now the national significant number: the library keeps its leading zeros.

    // The region of the number: the only one of its code, else the first whose leading digits or patterns fit.
    const std::vector<const Region *> *regions = regions_of(country_code);
    if (regions == nullptr) {
        return false;
    }
    const std::vector<const Region *> &candidates = *regions;
    const Region *number_region = nullptr;
    if (candidates.size() == 1) {
        number_region = candidates.front();
        if (number_region == nullptr) {
            return false;
        }
    } else {
        for (const Region *candidate : candidates) {
            if (candidate == nullptr || !candidate->usable) {
                return false;
            }
            if (candidate->has_leading_digits) {
                const int end =
                    candidate->leading_digits.looking_at(national.data(), static_cast<int>(national.size()), nullptr);
                if (end == DigitPattern::kGaveUp) {
                    return false;
                }
                if (end >= 0) {
                    number_region = candidate;
                    break;
                }
            } else {
                int type = HPN_TYPE_UNKNOWN;
                if (!number_type(national, *candidate, &type)) {
                    return false;
                }
                if (type != HPN_TYPE_UNKNOWN) {
                    number_region = candidate;
                    break;
                }
            }
        }
    }
    int type = HPN_TYPE_UNKNOWN;
    if (number_region != nullptr) {
        if (!number_region->usable || !number_type(national, *number_region, &type)) {
            return false;
        }
    }
    // Possible by the lengths of the code's main region (the library's rule for shared codes).
    const Region *main = main_region(country_code);
    if (main == nullptr || !main->usable) {
        return false;
    }
    const Length possible = test_length(national, *main);

    std::memset(out, 0, sizeof(*out));
    out->parse_status = HPN_PARSE_OK;
    out->number_type = type;
    out->is_valid = type != HPN_TYPE_UNKNOWN ? 1 : 0;
    out->is_possible = possible == Length::kPossible || possible == Length::kLocalOnly ? 1 : 0;
    out->country_code = country_code;
    if (!out->is_valid && out->is_possible) {
        out->written_with_country_code = source != Source::kDefault ? 1 : 0;
    }
    copy_string("+" + std::to_string(country_code) + national, out->e164, sizeof(out->e164));
    copy_string(number_region != nullptr ? number_region->code : std::string("ZZ"), out->region, sizeof(out->region));
    if (extension_start < length) {
        copy_string(std::string(text + extension_start, length - extension_start), out->extension, sizeof(out->extension));
    }
    return true;
}

} // namespace hatif
