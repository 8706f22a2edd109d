// moderation/term_automaton.hpp: Aho-Corasick automaton over folded code points, built
// once from a list of patterns and then only read. Symbols are compressed to a dense
// alphabet (code points that occur in some pattern); the root has a dense transition
// table, other nodes sorted edge lists searched by binary search; a dictionary-suffix
// link per node reports every pattern ending at a position in one pass over the text.
// Knows nothing of actions, masking or folding: see term_filter.hpp.
//
// Threading: immutable after build(); any number of threads may scan() at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace forumcast::moderation {

class TermAutomaton {
 public:
  struct Hit {
    uint32_t pattern;  // index into the build() list
    uint32_t end;      // index of the pattern's last code point in the text
  };

  // Patterns must be non-empty. Of identical patterns only the first is reported
  // (TermFilter merges them before building).
  static TermAutomaton build(const std::vector<std::u32string>& patterns);

  // Appends every occurrence of every pattern (overlapping ones included) to hits.
  void scan(std::u32string_view text, std::vector<Hit>& hits) const;

  size_t node_count() const { return fail_.size(); }
  size_t pattern_length(uint32_t p) const { return lengths_[p]; }

 private:
  uint32_t symbol(char32_t cp) const;

  std::vector<uint32_t> bmp_symbol_;  // 0 = not in any pattern
  std::unordered_map<char32_t, uint32_t> astral_symbol_;
  std::vector<uint32_t> root_next_;   // by symbol; 0 = stay at root
  std::vector<uint32_t> edge_begin_;  // per node, into edges_ (size nodes+1)
  std::vector<uint64_t> edges_;       // (symbol << 32 | child), sorted per node
  std::vector<uint32_t> fail_;
  std::vector<int32_t> output_;      // pattern ending here, or -1
  std::vector<uint32_t> dict_link_;  // nearest suffix node with output, 0 = none
  std::vector<uint32_t> lengths_;
};

}  // namespace forumcast::moderation
