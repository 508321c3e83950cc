// Whether bytes are valid UTF-8, sixteen at a time with SSSE3 where the processor has it: the lookup
// method of Keiser and Lemire ("Validating UTF-8 in less than one instruction per byte", 2021; the
// validator of simdjson and simdutf), whose three table lookups (pshufb, which SSE2 lacks) classify
// every pair of adjacent bytes at once. Where `hatif_cpu_has_ssse3()` is 0 the caller checks byte by byte.
#ifndef HATIF_UTF8_CHECK_H
#define HATIF_UTF8_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <tmmintrin.h>
#define HATIF_UTF8_SSSE3 1
#endif

#if defined(HATIF_UTF8_SSSE3)
// The error bits of a pair of bytes (the first is the byte before, the second this one): each table
// lookup names the errors its nibble allows, and a pair is wrong where all three agree.
#define HATIF_TOO_SHORT (1 << 0)       // a lead byte not followed by a continuation: 11______ 0_______ or 11______ 11______
#define HATIF_TOO_LONG (1 << 1)        // a continuation after ASCII: 0_______ 10______
#define HATIF_OVERLONG_3 (1 << 2)      // 11100000 100_____
#define HATIF_TOO_LARGE (1 << 3)       // past U+10FFFF: 11110100 1001____, 11110100 101_____, 11110101+ 10______
#define HATIF_SURROGATE (1 << 4)       // 11101101 101_____
#define HATIF_OVERLONG_2 (1 << 5)      // 1100000_ 10______
#define HATIF_TOO_LARGE_1000 (1 << 6)  // 11110101+ 1000____
#define HATIF_OVERLONG_4 (1 << 6)      // 11110000 1000____
#define HATIF_TWO_CONTS ((char)0x80)   // two continuations: 10______ 10______ (right only as a 3rd or 4th byte)
#define HATIF_CARRY (HATIF_TOO_SHORT | HATIF_TOO_LONG | HATIF_TWO_CONTS)

__attribute__((target("ssse3"))) static inline __m128i hatif_utf8_block_errors(__m128i input, __m128i previous) {
    const __m128i low_nibble = _mm_set1_epi8(0x0F);
    const __m128i prev1 = _mm_alignr_epi8(input, previous, 16 - 1);
    const __m128i byte_1_high_table = _mm_setr_epi8(
        HATIF_TOO_LONG, HATIF_TOO_LONG, HATIF_TOO_LONG, HATIF_TOO_LONG, HATIF_TOO_LONG, HATIF_TOO_LONG, HATIF_TOO_LONG,
        HATIF_TOO_LONG, HATIF_TWO_CONTS, HATIF_TWO_CONTS, HATIF_TWO_CONTS, HATIF_TWO_CONTS, HATIF_TOO_SHORT | HATIF_OVERLONG_2,
        HATIF_TOO_SHORT, HATIF_TOO_SHORT | HATIF_OVERLONG_3 | HATIF_SURROGATE,
        HATIF_TOO_SHORT | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000 | HATIF_OVERLONG_4);
    const __m128i byte_1_low_table = _mm_setr_epi8(
        HATIF_CARRY | HATIF_OVERLONG_3 | HATIF_OVERLONG_2 | HATIF_OVERLONG_4, HATIF_CARRY | HATIF_OVERLONG_2, HATIF_CARRY,
        HATIF_CARRY, HATIF_CARRY | HATIF_TOO_LARGE, HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000,
        HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000, HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000,
        HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000, HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000,
        HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000, HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000,
        HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000,
        HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000 | HATIF_SURROGATE,
        HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000, HATIF_CARRY | HATIF_TOO_LARGE | HATIF_TOO_LARGE_1000);
    const __m128i byte_2_high_table = _mm_setr_epi8(
        HATIF_TOO_SHORT, HATIF_TOO_SHORT, HATIF_TOO_SHORT, HATIF_TOO_SHORT, HATIF_TOO_SHORT, HATIF_TOO_SHORT, HATIF_TOO_SHORT,
        HATIF_TOO_SHORT,
        HATIF_TOO_LONG | HATIF_OVERLONG_2 | HATIF_TWO_CONTS | HATIF_OVERLONG_3 | HATIF_TOO_LARGE_1000 | HATIF_OVERLONG_4,
        HATIF_TOO_LONG | HATIF_OVERLONG_2 | HATIF_TWO_CONTS | HATIF_OVERLONG_3 | HATIF_TOO_LARGE,
        HATIF_TOO_LONG | HATIF_OVERLONG_2 | HATIF_TWO_CONTS | HATIF_SURROGATE | HATIF_TOO_LARGE,
        HATIF_TOO_LONG | HATIF_OVERLONG_2 | HATIF_TWO_CONTS | HATIF_SURROGATE | HATIF_TOO_LARGE, HATIF_TOO_SHORT,
        HATIF_TOO_SHORT, HATIF_TOO_SHORT, HATIF_TOO_SHORT);
    // _mm_srli_epi16 shifts across the bytes of a 16-bit lane: the mask keeps each byte's own high nibble.
    const __m128i byte_1_high = _mm_shuffle_epi8(byte_1_high_table, _mm_and_si128(_mm_srli_epi16(prev1, 4), low_nibble));
    const __m128i byte_1_low = _mm_shuffle_epi8(byte_1_low_table, _mm_and_si128(prev1, low_nibble));
    const __m128i byte_2_high = _mm_shuffle_epi8(byte_2_high_table, _mm_and_si128(_mm_srli_epi16(input, 4), low_nibble));
    const __m128i special_cases = _mm_and_si128(_mm_and_si128(byte_1_high, byte_1_low), byte_2_high);
    // Two continuations in a row are right only where a byte two or three back leads a 3- or 4-byte
    // sequence; there they must be, everywhere else they must not.
    const __m128i prev2 = _mm_alignr_epi8(input, previous, 16 - 2);
    const __m128i prev3 = _mm_alignr_epi8(input, previous, 16 - 3);
    const __m128i is_third_byte = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
    const __m128i is_fourth_byte = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
    const __m128i must_be_continuation = _mm_and_si128(_mm_or_si128(is_third_byte, is_fourth_byte), _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must_be_continuation, special_cases);
}

/// 1 when the `count` bytes at `bytes` are well-formed UTF-8, else 0. Only where `hatif_cpu_has_ssse3()`.
__attribute__((target("ssse3"))) static inline int hatif_utf8_is_valid_ssse3(const uint8_t *bytes, size_t count) {
    __m128i previous = _mm_setzero_si128();
    __m128i errors = _mm_setzero_si128();
    size_t index = 0;
    for (; index + 16 <= count; index += 16) {
        const __m128i input = _mm_loadu_si128((const __m128i *)(bytes + index));
        errors = _mm_or_si128(errors, hatif_utf8_block_errors(input, previous));
        previous = input;
    }
    // The rest (under 16 bytes), then zeros (ASCII) to the block's end: a sequence that the end cuts short
    // then has a zero where a continuation must be.
    uint8_t tail[16] = {0};
    memcpy(tail, bytes + index, count - index);
    errors = _mm_or_si128(errors, hatif_utf8_block_errors(_mm_loadu_si128((const __m128i *)tail), previous));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(errors, _mm_setzero_si128())) == 0xFFFF;
}

/// Whether this processor has SSSE3 (asks CPUID, which in a virtual machine costs a trip to the host:
/// callers keep the answer).
static inline int hatif_cpu_has_ssse3(void) {
    unsigned int eax, ebx, ecx, edx;
    return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_SSSE3) ? 1 : 0;
}
#else
static inline int hatif_utf8_is_valid_ssse3(const uint8_t *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return -1;
}

static inline int hatif_cpu_has_ssse3(void) { return 0; }
#endif

#endif
