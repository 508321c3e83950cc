#ifndef HATIF_CPHONENUMBER_H
#define HATIF_CPHONENUMBER_H

/// A small C-callable shim over Google's libphonenumber (C++), so Swift can parse, validate and format
/// phone numbers without touching C++ types.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Why a text could not be parsed as a phone number (mirrors PhoneNumberUtil::ErrorType).
typedef enum {
    HPN_PARSE_OK = 0,
    HPN_PARSE_INVALID_COUNTRY_CODE = 1,
    HPN_PARSE_NOT_A_NUMBER = 2,
    HPN_PARSE_TOO_SHORT_AFTER_IDD = 3,
    HPN_PARSE_TOO_SHORT_NSN = 4,
    HPN_PARSE_TOO_LONG_NSN = 5
} hpn_parse_status;

/// The kind of line a number belongs to (mirrors PhoneNumberUtil::PhoneNumberType).
typedef enum {
    HPN_TYPE_FIXED_LINE = 0,
    HPN_TYPE_MOBILE = 1,
    HPN_TYPE_FIXED_LINE_OR_MOBILE = 2,
    HPN_TYPE_TOLL_FREE = 3,
    HPN_TYPE_PREMIUM_RATE = 4,
    HPN_TYPE_SHARED_COST = 5,
    HPN_TYPE_VOIP = 6,
    HPN_TYPE_PERSONAL_NUMBER = 7,
    HPN_TYPE_PAGER = 8,
    HPN_TYPE_UAN = 9,
    HPN_TYPE_VOICEMAIL = 10,
    HPN_TYPE_UNKNOWN = 11
} hpn_number_type;

/// The outcome of parsing one number.
typedef struct {
    /// HPN_PARSE_OK when the text parsed; the other fields are meaningful only then.
    int parse_status;
    /// 1 when the number is valid for its region (length and prefix), else 0.
    int is_valid;
    /// 1 when the length is possible for the region, else 0.
    int is_possible;
    /// One of hpn_number_type.
    int number_type;
    /// The country calling code, e.g. 966.
    int country_code;
    /// 1 when the text itself carries the country code (`+`, an international prefix such as `00`, or its
    /// digits), 0 when it was taken from the default region. Set only for numbers that are possible but not valid.
    int written_with_country_code;
    /// The number in E.164, NUL-terminated (at most 16 characters).
    char e164[24];
    /// The region the number belongs to (e.g. "SA"), or "ZZ" when unknown; NUL-terminated.
    char region[4];
    /// The extension's digits (`721` of `+1 601 473 1975 x721`), NUL-terminated; empty when there is none.
    /// E.164 has no room for it, so a caller that keeps only the E.164 form can say what it left out.
    char extension[24];
} hpn_result;

/// Parses `length` bytes of UTF-8 at `text` with `default_region` (ISO 3166 alpha-2, may be NULL or "")
/// used for numbers written without an international prefix. Always fills `out`; returns its parse_status.
/// Common forms (digits with spaces, dashes, dots, parentheses or slashes, perhaps a leading `+`) are
/// answered by the shim's own reading of the library's metadata, the same answers much faster; the rest by
/// libphonenumber.
int hpn_parse(const char *text, size_t length, const char *default_region, hpn_result *out);

/// hpn_parse by libphonenumber alone, without the fast path: what the fast path is tested against.
int hpn_parse_reference(const char *text, size_t length, const char *default_region, hpn_result *out);

/// The fast path of hpn_parse alone: 1 when it answered (`out` filled as hpn_parse fills it), 0 when it left
/// the text to libphonenumber (`out` untouched).
int hpn_parse_fast(const char *text, size_t length, const char *default_region, hpn_result *out);

/// The library's example number of `type` (one of hpn_number_type) for `region`, or for the
/// non-geographic `non_geographic_code` (e.g. 800) when `region` is NULL or "": writes its national
/// significant number to `national` and returns its country code, or 0 when the library has none.
/// For tests that need numbers of many regions and types.
int hpn_example_number(const char *region, int non_geographic_code, int type, char *national, size_t capacity);

/// Writes the country calling code of `region` (e.g. 966 for "SA"), or 0 for an unknown region.
int hpn_country_code_for_region(const char *region);

#ifdef __cplusplus
}
#endif

#endif
