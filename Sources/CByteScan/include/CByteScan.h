// Byte classes of 64 bytes at a time with SSE2 (part of every x86-64), for the readers' scans: Swift's SIMD
// types do not turn a lane comparison into one bit mask instruction (pmovmskb), which is what makes a
// vector scan pay. Other processors get the same answer from a plain loop.
#ifndef HATIF_BYTE_SCAN_H
#define HATIF_BYTE_SCAN_H

#include <stdint.h>

#include "CUTF8Check.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit i of each mask stands for byte i of a 64-byte block.
typedef struct {
    /// Bytes equal to one of the three sought bytes.
    uint64_t sought;
    /// Bytes equal to the delimiter.
    uint64_t delimiters;
    /// Bytes that are not ASCII (high bit set).
    uint64_t high;
} hatif_block_masks;

/// The masks of the 64 bytes at `bytes`, all of which must be readable.
static inline hatif_block_masks hatif_scan_block(const uint8_t *bytes, uint8_t delimiter, uint8_t first, uint8_t second,
                                                 uint8_t third) {
    hatif_block_masks masks = {0, 0, 0};
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8((char)delimiter);
    const __m128i a = _mm_set1_epi8((char)first);
    const __m128i b = _mm_set1_epi8((char)second);
    const __m128i c = _mm_set1_epi8((char)third);
    for (int part = 0; part < 4; part++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(bytes + 16 * part));
        const __m128i sought = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b)), _mm_cmpeq_epi8(v, c));
        masks.sought |= (uint64_t)(uint16_t)_mm_movemask_epi8(sought) << (16 * part);
        masks.delimiters |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, d)) << (16 * part);
        masks.high |= (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * part);
    }
#else
    for (int index = 0; index < 64; index++) {
        const uint8_t byte = bytes[index];
        const uint64_t bit = (uint64_t)1 << index;
        if (byte == first || byte == second || byte == third) masks.sought |= bit;
        if (byte == delimiter) masks.delimiters |= bit;
        if (byte & 0x80) masks.high |= bit;
    }
#endif
    return masks;
}

#endif
