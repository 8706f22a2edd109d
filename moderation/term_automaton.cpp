// moderation/term_automaton.cpp: Aho-Corasick construction (trie, BFS failure links,
// dictionary-suffix links) into flat arrays, and the scan.
#include "moderation/term_automaton.hpp"

#include <algorithm>
#include <deque>

namespace forumcast::moderation {

TermAutomaton TermAutomaton::build(const std::vector<std::u32string>& patterns) {
  TermAutomaton a;
  a.bmp_symbol_.assign(0x10000, 0);
  uint32_t next_symbol = 1;
  auto symbol_of = [&](char32_t cp) -> uint32_t {
    uint32_t* slot;
    if (cp < 0x10000) {
      slot = &a.bmp_symbol_[cp];
    } else {
      slot = &a.astral_symbol_[cp];
    }
    if (*slot == 0) *slot = next_symbol++;
    return *slot;
  };

  // 1. The trie, with a hash map for child lookup while building.
  std::unordered_map<uint64_t, uint32_t> child;  // (node << 32 | symbol) -> node
  std::vector<int32_t> output{-1};
  a.lengths_.reserve(patterns.size());
  for (uint32_t p = 0; p < patterns.size(); ++p) {
    uint32_t node = 0;
    for (char32_t cp : patterns[p]) {
      uint64_t key = (uint64_t{node} << 32) | symbol_of(cp);
      auto [it, inserted] = child.try_emplace(key, static_cast<uint32_t>(output.size()));
      if (inserted) output.push_back(-1);
      node = it->second;
    }
    if (node != 0 && output[node] < 0) output[node] = static_cast<int32_t>(p);
    a.lengths_.push_back(static_cast<uint32_t>(patterns[p].size()));
  }
  const size_t n = output.size();

  // 2. Flat edges, sorted by symbol within each node; dense table for the root.
  std::vector<std::vector<uint64_t>> per_node(n);
  a.root_next_.assign(next_symbol, 0);
  for (const auto& [key, to] : child) {
    uint32_t from = static_cast<uint32_t>(key >> 32), sym = static_cast<uint32_t>(key);
    if (from == 0) a.root_next_[sym] = to;
    per_node[from].push_back((uint64_t{sym} << 32) | to);
  }
  a.edge_begin_.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    std::sort(per_node[i].begin(), per_node[i].end());
    a.edge_begin_[i + 1] = a.edge_begin_[i] + static_cast<uint32_t>(per_node[i].size());
  }
  a.edges_.reserve(a.edge_begin_[n]);
  for (auto& v : per_node) a.edges_.insert(a.edges_.end(), v.begin(), v.end());

  // 3. Failure and dictionary-suffix links in BFS order.
  a.fail_.assign(n, 0);
  a.dict_link_.assign(n, 0);
  a.output_ = std::move(output);
  auto go = [&](uint32_t s, uint32_t sym) -> uint32_t {
    if (s == 0) return a.root_next_[sym];
    auto it = child.find((uint64_t{s} << 32) | sym);
    return it == child.end() ? 0 : it->second;
  };
  std::deque<uint32_t> queue;
  for (uint64_t e : per_node[0]) queue.push_back(static_cast<uint32_t>(e));
  while (!queue.empty()) {
    uint32_t u = queue.front();
    queue.pop_front();
    for (uint64_t e : per_node[u]) {
      uint32_t sym = static_cast<uint32_t>(e >> 32), v = static_cast<uint32_t>(e);
      uint32_t f = a.fail_[u];
      while (f != 0 && go(f, sym) == 0) f = a.fail_[f];
      uint32_t target = go(f, sym);
      a.fail_[v] = target == v ? 0 : target;
      uint32_t fv = a.fail_[v];
      a.dict_link_[v] = a.output_[fv] >= 0 ? fv : a.dict_link_[fv];
      queue.push_back(v);
    }
  }
  return a;
}

uint32_t TermAutomaton::symbol(char32_t cp) const {
  if (cp < 0x10000) return bmp_symbol_[cp];
  auto it = astral_symbol_.find(cp);
  return it == astral_symbol_.end() ? 0 : it->second;
}

void TermAutomaton::scan(std::u32string_view text, std::vector<Hit>& hits) const {
  uint32_t s = 0;
  for (uint32_t i = 0; i < text.size(); ++i) {
    uint32_t sym = symbol(text[i]);
    if (sym == 0) {  // a character in no pattern: every partial match ends here
      s = 0;
      continue;
    }
    for (;;) {
      if (s == 0) {
        s = root_next_[sym];
        break;
      }
      const uint64_t* b = edges_.data() + edge_begin_[s];
      const uint64_t* e = edges_.data() + edge_begin_[s + 1];
      uint64_t key = uint64_t{sym} << 32;
      const uint64_t* it = std::lower_bound(b, e, key);
      if (it != e && (*it >> 32) == sym) {
        s = static_cast<uint32_t>(*it);
        break;
      }
      s = fail_[s];
    }
    uint32_t o = output_[s] >= 0 ? s : dict_link_[s];
    while (o != 0) {
      hits.push_back(Hit{static_cast<uint32_t>(output_[o]), i});
      o = dict_link_[o];
    }
  }
}

}  // namespace forumcast::moderation
