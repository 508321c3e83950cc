#include "CPhoneNumber.h"
#include "FastPhoneParser.h"

#include <cstring>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

void copy_string(const std::string &value, char *destination, size_t capacity) {
    size_t count = value.size() < capacity - 1 ? value.size() : capacity - 1;
    std::memcpy(destination, value.data(), count);
    destination[count] = '\0';
}

int map_type(PhoneNumberUtil::PhoneNumberType type) {
    switch (type) {
    case PhoneNumberUtil::FIXED_LINE: return HPN_TYPE_FIXED_LINE;
    case PhoneNumberUtil::MOBILE: return HPN_TYPE_MOBILE;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return HPN_TYPE_FIXED_LINE_OR_MOBILE;
    case PhoneNumberUtil::TOLL_FREE: return HPN_TYPE_TOLL_FREE;
    case PhoneNumberUtil::PREMIUM_RATE: return HPN_TYPE_PREMIUM_RATE;
    case PhoneNumberUtil::SHARED_COST: return HPN_TYPE_SHARED_COST;
    case PhoneNumberUtil::VOIP: return HPN_TYPE_VOIP;
    case PhoneNumberUtil::PERSONAL_NUMBER: return HPN_TYPE_PERSONAL_NUMBER;
    case PhoneNumberUtil::PAGER: return HPN_TYPE_PAGER;
    case PhoneNumberUtil::UAN: return HPN_TYPE_UAN;
    case PhoneNumberUtil::VOICEMAIL: return HPN_TYPE_VOICEMAIL;
    default: return HPN_TYPE_UNKNOWN;
    }
}

int map_error(PhoneNumberUtil::ErrorType error) {
    switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR: return HPN_PARSE_OK;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: return HPN_PARSE_INVALID_COUNTRY_CODE;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD: return HPN_PARSE_TOO_SHORT_AFTER_IDD;
    case PhoneNumberUtil::TOO_SHORT_NSN: return HPN_PARSE_TOO_SHORT_NSN;
    case PhoneNumberUtil::TOO_LONG_NSN: return HPN_PARSE_TOO_LONG_NSN;
    default: return HPN_PARSE_NOT_A_NUMBER;
    }
}

} // namespace

extern "C" int hpn_parse(const char *text, size_t length, const char *default_region, hpn_result *out) {
    if (hpn_parse_fast(text, length, default_region, out)) {
        return out->parse_status;
    }
    return hpn_parse_reference(text, length, default_region, out);
}

extern "C" int hpn_parse_fast(const char *text, size_t length, const char *default_region, hpn_result *out) {
    const hatif::FastPhoneParser *fast = hatif::FastPhoneParser::shared();
    return fast != nullptr && fast->parse(text, length, default_region, out) ? 1 : 0;
}

extern "C" int hpn_parse_reference(const char *text, size_t length, const char *default_region, hpn_result *out) {
    std::memset(out, 0, sizeof(*out));
    copy_string("ZZ", out->region, sizeof(out->region));
    out->number_type = HPN_TYPE_UNKNOWN;
    if (text == nullptr) {
        out->parse_status = HPN_PARSE_NOT_A_NUMBER;
        return out->parse_status;
    }
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    const std::string input(text, length);
    const std::string region = (default_region != nullptr && default_region[0] != '\0') ? default_region : "ZZ";
    PhoneNumber number;
    out->parse_status = map_error(util->Parse(input, region, &number));
    if (out->parse_status != HPN_PARSE_OK) {
        return out->parse_status;
    }
    // IsValidNumber is GetNumberType != UNKNOWN for the number's own region: ask for the type once
    // (each of these calls matches the number against the metadata's patterns, the costly part).
    const PhoneNumberUtil::PhoneNumberType type = util->GetNumberType(number);
    out->is_valid = type != PhoneNumberUtil::UNKNOWN ? 1 : 0;
    out->is_possible = util->IsPossibleNumber(number) ? 1 : 0;
    out->number_type = map_type(type);
    out->country_code = number.country_code();
    if (!out->is_valid && out->is_possible) {
        // Where the country code came from: another country's code was written in the text; the default
        // region's own may or may not have been, which only keeping the raw input tells (a second parse,
        // paid by these few numbers alone).
        if (number.country_code() != util->GetCountryCodeForRegion(region)) {
            out->written_with_country_code = 1;
        } else {
            PhoneNumber raw;
            if (util->ParseAndKeepRawInput(input, region, &raw) == PhoneNumberUtil::NO_PARSING_ERROR) {
                out->written_with_country_code = raw.country_code_source() != PhoneNumber::FROM_DEFAULT_COUNTRY ? 1 : 0;
            }
        }
    }
    std::string formatted;
    util->Format(number, PhoneNumberUtil::E164, &formatted);
    copy_string(formatted, out->e164, sizeof(out->e164));
    if (number.has_extension()) {
        copy_string(number.extension(), out->extension, sizeof(out->extension));
    }
    std::string number_region;
    util->GetRegionCodeForNumber(number, &number_region);
    if (!number_region.empty()) {
        copy_string(number_region, out->region, sizeof(out->region));
    }
    return out->parse_status;
}

extern "C" int hpn_example_number(const char *region, int non_geographic_code, int type, char *national,
                                  size_t capacity) {
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumberUtil::PhoneNumberType wanted = PhoneNumberUtil::UNKNOWN;
    switch (type) {
    case HPN_TYPE_FIXED_LINE: wanted = PhoneNumberUtil::FIXED_LINE; break;
    case HPN_TYPE_MOBILE: wanted = PhoneNumberUtil::MOBILE; break;
    case HPN_TYPE_TOLL_FREE: wanted = PhoneNumberUtil::TOLL_FREE; break;
    case HPN_TYPE_PREMIUM_RATE: wanted = PhoneNumberUtil::PREMIUM_RATE; break;
    case HPN_TYPE_SHARED_COST: wanted = PhoneNumberUtil::SHARED_COST; break;
    case HPN_TYPE_VOIP: wanted = PhoneNumberUtil::VOIP; break;
    case HPN_TYPE_PERSONAL_NUMBER: wanted = PhoneNumberUtil::PERSONAL_NUMBER; break;
    case HPN_TYPE_UAN: wanted = PhoneNumberUtil::UAN; break;
    default: return 0;
    }
    PhoneNumber number;
    const bool found = region != nullptr && region[0] != '\0'
        ? util->GetExampleNumberForType(region, wanted, &number)
        : util->GetExampleNumberForNonGeoEntity(non_geographic_code, &number);
    if (!found || national == nullptr || capacity == 0) {
        return 0;
    }
    std::string significant;
    util->GetNationalSignificantNumber(number, &significant);
    copy_string(significant, national, capacity);
    return number.country_code();
}

extern "C" int hpn_country_code_for_region(const char *region) {
    if (region == nullptr) {
        return 0;
    }
    return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region);
}
