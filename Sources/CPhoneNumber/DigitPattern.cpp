#include "DigitPattern.h"

namespace hatif {

namespace {

constexpr uint16_t kAnyDigit = 0x3FF;
constexpr int kMaxDepth = 64;
// The metadata's patterns take a few hundred steps on a number at most; a pattern that takes more is left
// to libphonenumber rather than risk a slow path.
constexpr int kStepBudget = 50000;
constexpr int kMaxFrames = 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

} // namespace

struct DigitPattern::Node {
    enum Kind { kClassNode, kConcat, kAlternation, kRepeat, kGroup, kEndNode } kind;
    uint16_t mask = 0;
    std::vector<int> children;
    int min = 0, max = 0, group = 0;
};

bool DigitPattern::compile(const std::string &pattern) {
    program_.clear();
    groups_ = 0;
    ok_ = false;
    std::vector<Node> nodes;
    size_t i = 0;
    int root = -1;
    if (!parse_alternation(pattern, i, 0, nodes, root) || i != pattern.size()) {
        return false;
    }
    if (!emit(nodes, root)) {
        return false;
    }
    program_.push_back({kMatch, 0, 0, 0});
    ok_ = true;
    return true;
}

bool DigitPattern::parse_alternation(const std::string &p, size_t &i, int depth, std::vector<Node> &nodes, int &out) {
    if (depth > kMaxDepth) {
        return false;
    }
    std::vector<int> alternatives;
    for (;;) {
        int sequence = -1;
        if (!parse_sequence(p, i, depth, nodes, sequence)) {
            return false;
        }
        alternatives.push_back(sequence);
        if (i < p.size() && p[i] == '|') {
            ++i;
            continue;
        }
        break;
    }
    if (alternatives.size() == 1) {
        out = alternatives[0];
        return true;
    }
    Node node;
    node.kind = Node::kAlternation;
    node.children = alternatives;
    nodes.push_back(node);
    out = static_cast<int>(nodes.size()) - 1;
    return true;
}

bool DigitPattern::parse_sequence(const std::string &p, size_t &i, int depth, std::vector<Node> &nodes, int &out) {
    Node sequence;
    sequence.kind = Node::kConcat;
    while (i < p.size() && p[i] != '|' && p[i] != ')') {
        int atom = -1;
        if (!parse_atom(p, i, depth, nodes, atom)) {
            return false;
        }
        if (i < p.size() && (p[i] == '?' || p[i] == '{')) {
            Node repeat;
            repeat.kind = Node::kRepeat;
            repeat.children.push_back(atom);
            if (p[i] == '?') {
                repeat.min = 0;
                repeat.max = 1;
                ++i;
            } else {
                ++i;
                int low = 0, high = -1;
                size_t start = i;
                while (i < p.size() && is_digit(p[i]) && low < 1000) {
                    low = low * 10 + (p[i++] - '0');
                }
                if (i == start || i >= p.size()) {
                    return false;
                }
                if (p[i] == ',') {
                    ++i;
                    start = i;
                    high = 0;
                    while (i < p.size() && is_digit(p[i]) && high < 1000) {
                        high = high * 10 + (p[i++] - '0');
                    }
                    if (i == start) {
                        return false; // `{n,}` is unbounded: not in the metadata's subset
                    }
                } else {
                    high = low;
                }
                if (i >= p.size() || p[i] != '}' || high < low || high > 64) {
                    return false;
                }
                ++i;
                repeat.min = low;
                repeat.max = high;
            }
            // A lazy or possessive quantifier, or one quantifier on another: outside the subset.
            if (i < p.size() && (p[i] == '?' || p[i] == '+' || p[i] == '{' || p[i] == '*')) {
                return false;
            }
            nodes.push_back(repeat);
            atom = static_cast<int>(nodes.size()) - 1;
        }
        sequence.children.push_back(atom);
    }
    nodes.push_back(sequence);
    out = static_cast<int>(nodes.size()) - 1;
    return true;
}

bool DigitPattern::parse_atom(const std::string &p, size_t &i, int depth, std::vector<Node> &nodes, int &out) {
    Node node;
    const char c = p[i];
    if (is_digit(c)) {
        node.kind = Node::kClassNode;
        node.mask = static_cast<uint16_t>(1u << (c - '0'));
        ++i;
    } else if (c == '\\') {
        if (i + 1 >= p.size() || p[i + 1] != 'd') {
            return false;
        }
        node.kind = Node::kClassNode;
        node.mask = kAnyDigit;
        i += 2;
    } else if (c == '[') {
        ++i;
        node.kind = Node::kClassNode;
        if (i < p.size() && p[i] == '^') {
            return false;
        }
        while (i < p.size() && p[i] != ']') {
            if (p[i] == '\\' && i + 1 < p.size() && p[i + 1] == 'd') {
                node.mask |= kAnyDigit;
                i += 2;
            } else if (is_digit(p[i])) {
                int low = p[i] - '0', high = low;
                if (i + 2 < p.size() && p[i + 1] == '-' && is_digit(p[i + 2])) {
                    high = p[i + 2] - '0';
                    i += 3;
                } else {
                    ++i;
                }
                if (high < low) {
                    return false;
                }
                for (int d = low; d <= high; ++d) {
                    node.mask |= static_cast<uint16_t>(1u << d);
                }
            } else {
                return false;
            }
        }
        if (i >= p.size() || node.mask == 0) {
            return false;
        }
        ++i; // ']'
    } else if (c == '(') {
        ++i;
        node.kind = Node::kGroup;
        if (i + 1 < p.size() && p[i] == '?') {
            if (p[i + 1] != ':') {
                return false; // look-around and other group kinds are outside the subset
            }
            i += 2;
            node.group = 0;
        } else {
            if (groups_ >= kMaxGroups) {
                return false;
            }
            node.group = ++groups_;
        }
        int inner = -1;
        if (!parse_alternation(p, i, depth + 1, nodes, inner) || i >= p.size() || p[i] != ')') {
            return false;
        }
        ++i;
        node.children.push_back(inner);
    } else if (c == '$') {
        node.kind = Node::kEndNode;
        ++i;
    } else {
        return false;
    }
    nodes.push_back(node);
    out = static_cast<int>(nodes.size()) - 1;
    return true;
}

bool DigitPattern::emit(const std::vector<Node> &nodes, int index) {
    if (program_.size() > 100000) {
        return false;
    }
    const Node &node = nodes[index];
    switch (node.kind) {
    case Node::kClassNode:
        program_.push_back({kClass, node.mask, 0, 0});
        return true;
    case Node::kEndNode:
        program_.push_back({kEnd, 0, 0, 0});
        return true;
    case Node::kConcat:
        for (int child : node.children) {
            if (!emit(nodes, child)) {
                return false;
            }
        }
        return true;
    case Node::kGroup:
        if (node.group > 0) {
            program_.push_back({kSave, 0, 2 * (node.group - 1), 0});
        }
        if (!emit(nodes, node.children[0])) {
            return false;
        }
        if (node.group > 0) {
            program_.push_back({kSave, 0, 2 * (node.group - 1) + 1, 0});
        }
        return true;
    case Node::kAlternation: {
        // split(body 1, next); body 1; jump end; split(body 2, next); …; body n. Left alternatives first.
        std::vector<size_t> jumps;
        for (size_t k = 0; k < node.children.size(); ++k) {
            const bool last = k + 1 == node.children.size();
            size_t split = 0;
            if (!last) {
                split = program_.size();
                program_.push_back({kSplit, 0, static_cast<int32_t>(split + 1), 0});
            }
            if (!emit(nodes, node.children[k])) {
                return false;
            }
            if (!last) {
                jumps.push_back(program_.size());
                program_.push_back({kJump, 0, 0, 0});
                program_[split].y = static_cast<int32_t>(program_.size());
            }
        }
        for (size_t jump : jumps) {
            program_[jump].x = static_cast<int32_t>(program_.size());
        }
        return true;
    }
    case Node::kRepeat: {
        for (int k = 0; k < node.min; ++k) {
            if (!emit(nodes, node.children[0])) {
                return false;
            }
        }
        // The optional copies nest, (e(e)?)?, and every "skip" goes to the end: greedy, as ICU.
        std::vector<size_t> splits;
        for (int k = node.min; k < node.max; ++k) {
            splits.push_back(program_.size());
            program_.push_back({kSplit, 0, static_cast<int32_t>(program_.size() + 1), 0});
            if (!emit(nodes, node.children[0])) {
                return false;
            }
        }
        for (size_t split : splits) {
            program_[split].y = static_cast<int32_t>(program_.size());
        }
        return true;
    }
    }
    return false;
}

int DigitPattern::full_match(const char *digits, int length) const {
    const int end = run(digits, length, true, nullptr);
    return end == kGaveUp ? kGaveUp : (end >= 0 ? 1 : 0);
}

int DigitPattern::looking_at(const char *digits, int length, int *captures) const {
    return run(digits, length, false, captures);
}

int DigitPattern::run(const char *digits, int length, bool whole, int *captures) const {
    if (!ok_) {
        return kGaveUp;
    }
    // A frame is a branch to try (pc, pos) or a capture slot to restore (slot, old value) on the way back.
    struct Frame {
        int32_t restore_slot; // -1 for a branch
        int32_t a, b;
    };
    Frame stack[kMaxFrames];
    int depth = 0;
    int slots[2 * kMaxGroups];
    for (int &slot : slots) {
        slot = -1;
    }
    const Instruction *program = program_.data();
    int pc = 0, pos = 0, steps = 0;
    for (;;) {
        if (++steps > kStepBudget) {
            return kGaveUp;
        }
        const Instruction &instruction = program[pc];
        bool failed = false;
        switch (instruction.op) {
        case kClass: {
            const unsigned digit = pos < length ? static_cast<unsigned>(digits[pos] - '0') : 10u;
            if (digit < 10 && ((instruction.mask >> digit) & 1u)) {
                ++pos;
                ++pc;
            } else {
                failed = true;
            }
            break;
        }
        case kSplit:
            if (depth == kMaxFrames) {
                return kGaveUp;
            }
            stack[depth++] = {-1, instruction.y, pos};
            pc = instruction.x;
            break;
        case kJump:
            pc = instruction.x;
            break;
        case kSave:
            if (depth == kMaxFrames) {
                return kGaveUp;
            }
            stack[depth++] = {instruction.x, slots[instruction.x], 0};
            slots[instruction.x] = pos;
            ++pc;
            break;
        case kEnd:
            if (pos == length) {
                ++pc;
            } else {
                failed = true;
            }
            break;
        case kMatch:
            if (whole && pos != length) {
                failed = true;
                break;
            }
            if (captures != nullptr) {
                for (int k = 0; k < 2 * kMaxGroups; ++k) {
                    captures[k] = slots[k];
                }
            }
            return pos;
        }
        if (!failed) {
            continue;
        }
        for (;;) {
            if (depth == 0) {
                return kNoMatch;
            }
            const Frame frame = stack[--depth];
            if (frame.restore_slot >= 0) {
                slots[frame.restore_slot] = frame.a;
                continue;
            }
            pc = frame.a;
            pos = frame.b;
            break;
        }
    }
}

} // namespace hatif
