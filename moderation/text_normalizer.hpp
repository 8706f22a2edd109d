// moderation/text_normalizer.hpp: folds text into the form blocked terms are matched
// in, one code point at a time, keeping for every output code point the byte range of
// the input character it came from (so a match can be masked in the original text).
//
// Folding, per input character: NFKC with case folding (ICU nfkc_cf: full width ->
// ASCII, Ｐ -> p, ① -> 1, ㎏ -> kg), canonical decomposition, then drop every
// resulting character that is a space, punctuation, symbol (emoji), mark (pián ->
// pian), control, format (zero-width) or unassigned character, and map the rest
// traditional -> simplified (OpenCC t2s character table: 騙 -> 骗). Tables are built once at
// creation (~0.1 s); the hot path is a table lookup per character.
//
// Threading: immutable after create(); share one instance between threads freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace forumcast::moderation {

struct NormalizedText {
  std::u32string chars;
  std::vector<uint32_t> begin;  // byte offset in the input of the character behind chars[i]
  std::vector<uint32_t> end;    // one past its last byte
  void clear() {
    chars.clear();
    begin.clear();
    end.clear();
  }
};

class TextNormalizer {
 public:
  // opencc_config: path of OpenCC's t2s.json (default: the Debian location).
  // Fails with code "normalizer_unavailable" when ICU or OpenCC cannot be loaded.
  static Result<std::shared_ptr<const TextNormalizer>> create(std::string opencc_config = {});
  static std::string default_opencc_config();

  // Appends nothing for skipped characters; malformed UTF-8 bytes are skipped.
  void normalize(std::string_view utf8, NormalizedText& out) const;
  // Convenience for tests, docs and term loading: the folded text as UTF-8.
  std::string normalize_utf8(std::string_view utf8) const;

  size_t t2s_table_size() const { return t2s_.size(); }

 private:
  TextNormalizer() = default;
  void fold(char32_t cp, std::u32string& out) const;  // any code point, slow path

  // bmp_[cp]: 0 = skip; bit 31 set = (pool offset << 8 | length) into pool_; else the
  // single folded code point.
  std::vector<uint32_t> bmp_;
  std::u32string pool_;
  std::unordered_map<char32_t, char32_t> t2s_;  // single-character OpenCC t2s pairs
};

}  // namespace forumcast::moderation
