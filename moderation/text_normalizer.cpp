// moderation/text_normalizer.cpp: builds the folding tables from ICU (nfkc_cf, NFD,
// character types) and OpenCC (t2s), and folds text with a table lookup per BMP
// character. Characters beyond the BMP (emoji, CJK extension B, math letters) are
// folded on the fly: two property lookups decide whether ICU's normalisers would
// change them at all (emoji: no, so they are simply skipped); only the rest are
// normalised through ICU.
//
// The t2s table is character-by-character: OpenCC converts each CJK code point on
// its own (one per line, so its phrase dictionary never spans two characters).
// Terms and text go through the same table, so matching is consistent even where a
// phrase-aware conversion would pick another character.
#include "moderation/text_normalizer.hpp"

#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstring>

#include "core/text.hpp"

namespace forumcast::moderation {
namespace {

constexpr uint32_t kPoolFlag = 0x80000000u;

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Characters that carry no meaning for matching and may be inserted between the
// characters of a term to evade it: separators, punctuation, symbols (emoji), marks,
// controls, format characters (zero-width space/joiners, BOM), private use, unassigned.
bool skipped(char32_t cp) {
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return false;
    default:
      return true;
  }
}

struct OpenccHandle {
  opencc_t h = reinterpret_cast<opencc_t>(-1);
  ~OpenccHandle() {
    if (h != reinterpret_cast<opencc_t>(-1)) opencc_close(h);
  }
};

struct OpenccText {
  char* p = nullptr;
  ~OpenccText() {
    if (p) opencc_convert_utf8_free(p);
  }
};

// CJK ranges whose traditional forms OpenCC may simplify.
constexpr std::pair<char32_t, char32_t> kCjkRanges[] = {
    {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x2A6DF}, {0x2A700, 0x2EBEF}};

// True when NFD leaves c alone (no decomposition, combining class 0). The instance
// is ICU's process-wide singleton, checked in create().
bool nfd_inert(UChar32 c) {
  static const icu::Normalizer2* nfd = [] {
    UErrorCode st = U_ZERO_ERROR;
    return icu::Normalizer2::getNFDInstance(st);
  }();
  return nfd != nullptr && nfd->isInert(c);
}

Error unavailable(std::string m) {
  return make_error("normalizer_unavailable", std::move(m));
}

}  // namespace

std::string TextNormalizer::default_opencc_config() {
#ifdef FORUMCAST_OPENCC_DIR
  return std::string(FORUMCAST_OPENCC_DIR) + "/t2s.json";
#else
  return "/usr/share/opencc/t2s.json";
#endif
}

Result<std::shared_ptr<const TextNormalizer>> TextNormalizer::create(std::string config) {
  if (config.empty()) config = default_opencc_config();
  std::shared_ptr<TextNormalizer> n(new TextNormalizer());

  // 1. OpenCC t2s, one character per line.
  OpenccHandle cc;
  cc.h = opencc_open(config.c_str());
  if (cc.h == reinterpret_cast<opencc_t>(-1))
    return unavailable("cannot open OpenCC config " + config + ": " + opencc_error());
  std::string in;
  std::u32string order;
  for (auto [lo, hi] : kCjkRanges) {
    for (char32_t c = lo; c <= hi; ++c) {
      encode(c, in);
      in.push_back('\n');
      order.push_back(c);
    }
  }
  OpenccText out;
  out.p = opencc_convert_utf8(cc.h, in.data(), in.size());
  if (!out.p) return unavailable(std::string("OpenCC conversion failed: ") + opencc_error());
  std::string_view conv(out.p, std::strlen(out.p));
  size_t line = 0, pos = 0;
  while (pos < conv.size() && line < order.size()) {
    size_t nl = conv.find('\n', pos);
    if (nl == std::string_view::npos) nl = conv.size();
    char32_t cp;
    size_t len = decode_utf8(conv, pos, cp);
    if (len != 0 && pos + len == nl && cp != order[line]) n->t2s_[order[line]] = cp;
    pos = nl + 1;
    ++line;
  }
  if (line != order.size()) return unavailable("OpenCC changed the number of lines");

  // 2. ICU normalisers.
  UErrorCode st = U_ZERO_ERROR;
  icu::Normalizer2::getNFKCCasefoldInstance(st);
  icu::Normalizer2::getNFDInstance(st);
  if (U_FAILURE(st)) return unavailable(std::string("ICU: ") + u_errorName(st));

  // 3. The BMP table.
  n->bmp_.assign(0x10000, 0);
  std::u32string folded;
  for (char32_t cp = 0; cp < 0x10000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    folded.clear();
    n->fold(cp, folded);
    if (folded.empty()) continue;
    if (folded.size() == 1) {
      n->bmp_[cp] = static_cast<uint32_t>(folded[0]);
    } else {
      n->bmp_[cp] = kPoolFlag | static_cast<uint32_t>(n->pool_.size() << 8) |
                    static_cast<uint32_t>(folded.size());
      n->pool_ += folded;
    }
  }
  return std::shared_ptr<const TextNormalizer>(std::move(n));
}

void TextNormalizer::fold(char32_t cp, std::u32string& out) const {
  UChar32 c0 = static_cast<UChar32>(cp);
  if (!u_hasBinaryProperty(c0, UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED) && nfd_inert(c0)) {
    if (skipped(cp)) return;  // most characters: no ICU call needed
    auto t = t2s_.find(cp);
    out.push_back(t == t2s_.end() ? cp : t->second);
    return;
  }
  // Fold first, then skip: compatibility symbols carry letters (㎏ -> kg, ① -> 1).
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(st);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(st);
  if (U_FAILURE(st)) return;
  icu::UnicodeString s(static_cast<UChar32>(cp));
  icu::UnicodeString k = nfkc_cf->normalize(s, st);
  icu::UnicodeString d = nfd->normalize(k, st);
  if (U_FAILURE(st)) return;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (skipped(static_cast<char32_t>(c))) continue;  // drops marks (pián -> pian), "(" of ⑴
    auto t = t2s_.find(static_cast<char32_t>(c));
    out.push_back(t == t2s_.end() ? static_cast<char32_t>(c) : t->second);
  }
}

void TextNormalizer::normalize(std::string_view s, NormalizedText& out) const {
  out.chars.reserve(out.chars.size() + s.size());
  std::u32string slow;
  char32_t cp;
  for (size_t i = 0; i < s.size();) {
    size_t n = decode_utf8(s, i, cp);
    if (n == 0) {  // malformed byte: skip it
      ++i;
      continue;
    }
    uint32_t b = static_cast<uint32_t>(i), e = static_cast<uint32_t>(i + n);
    i += n;
    if (cp < 0x10000) {
      uint32_t v = bmp_[cp];
      if (v == 0) continue;
      if (!(v & kPoolFlag)) {
        out.chars.push_back(static_cast<char32_t>(v));
        out.begin.push_back(b);
        out.end.push_back(e);
        continue;
      }
      size_t off = (v & ~kPoolFlag) >> 8, len = v & 0xFF;
      for (size_t k = 0; k < len; ++k) {
        out.chars.push_back(pool_[off + k]);
        out.begin.push_back(b);
        out.end.push_back(e);
      }
      continue;
    }
    slow.clear();
    fold(cp, slow);
    for (char32_t c : slow) {
      out.chars.push_back(c);
      out.begin.push_back(b);
      out.end.push_back(e);
    }
  }
}

std::string TextNormalizer::normalize_utf8(std::string_view s) const {
  NormalizedText n;
  normalize(s, n);
  std::string out;
  for (char32_t c : n.chars) encode(c, out);
  return out;
}

}  // namespace forumcast::moderation
