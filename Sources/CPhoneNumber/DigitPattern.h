#ifndef HATIF_DIGIT_PATTERN_H
#define HATIF_DIGIT_PATTERN_H

// A matcher for the regular expressions in libphonenumber's metadata, over ASCII digit strings only.
//
// The metadata's patterns use a small subset: digits, `\d`, classes of digits and ranges, `(?:…)` and
// capturing groups, `|`, `?`, `{n}`, `{n,m}` and `$`. This compiles that subset into a backtracking
// program with the same priorities as ICU (the engine libphonenumber uses on Debian): alternatives left
// to right, quantifiers greedy, a capture holding what its last iteration matched. So a full match answers
// the same set membership, and a prefix match (ICU's lookingAt) the same length and captures. Anything
// outside the subset makes `compile` fail, and the caller leaves that region to libphonenumber.

#include <cstdint>
#include <string>
#include <vector>

namespace hatif {

class DigitPattern {
public:
    /// The result of a match that ran out of its step budget: the caller falls back to libphonenumber.
    static constexpr int kGaveUp = -2;
    /// No match.
    static constexpr int kNoMatch = -1;
    /// The most capturing groups a pattern may have.
    static constexpr int kMaxGroups = 4;

    /// Compiles `pattern`; false when it uses syntax outside the metadata's subset.
    bool compile(const std::string &pattern);

    /// Whether `compile` succeeded.
    bool ok() const { return ok_; }

    /// The pattern's number of capturing groups.
    int group_count() const { return groups_; }

    /// 1 when the whole of `digits` matches, 0 when it does not, kGaveUp when the budget ran out.
    int full_match(const char *digits, int length) const;

    /// The length of the match at the start of `digits` (ICU's lookingAt), kNoMatch, or kGaveUp.
    /// `captures`, when given, receives 2 * kMaxGroups offsets (start, end per group; -1 when unset).
    int looking_at(const char *digits, int length, int *captures) const;

private:
    enum Op : uint8_t { kClass, kSplit, kJump, kSave, kEnd, kMatch };
    struct Instruction {
        Op op;
        uint16_t mask;   // kClass: the digits accepted, bit d for digit d
        int32_t x, y;    // kSplit: preferred, other; kJump: target; kSave: slot
    };
    struct Node;

    int run(const char *digits, int length, bool whole, int *captures) const;
    bool parse_alternation(const std::string &p, size_t &i, int depth, std::vector<Node> &nodes, int &out);
    bool parse_sequence(const std::string &p, size_t &i, int depth, std::vector<Node> &nodes, int &out);
    bool parse_atom(const std::string &p, size_t &i, int depth, std::vector<Node> &nodes, int &out);
    bool emit(const std::vector<Node> &nodes, int node);

    std::vector<Instruction> program_;
    int groups_ = 0;
    bool ok_ = false;
};

} // namespace hatif

#endif
