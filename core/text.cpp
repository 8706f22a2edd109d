// core/text.cpp: UTF-8 validation, character counting and cleaning (NFC via ICU).
#include "core/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace forumcast {
namespace {

bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);  // bidi overrides
}

bool is_space(char32_t cp) {
  return cp == ' ' || cp == 0x3000 || cp == 0xA0;
}

}  // namespace

size_t decode_utf8(std::string_view s, size_t i, char32_t& cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t len;
  char32_t min;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool is_valid_utf8(std::string_view s) {
  char32_t cp;
  for (size_t i = 0; i < s.size();) {
    size_t n = decode_utf8(s, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

size_t count_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::optional<std::string> clean_text(std::string_view s, bool keep_newlines) {
  if (!is_valid_utf8(s)) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  std::string normalized;
  if (U_SUCCESS(status)) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
    icu::UnicodeString out = nfc->normalize(u, status);
    if (U_SUCCESS(status)) out.toUTF8String(normalized);
  }
  if (!U_SUCCESS(status)) normalized.assign(s);

  std::string out;
  out.reserve(normalized.size());
  char32_t cp;
  for (size_t i = 0; i < normalized.size();) {
    size_t n = decode_utf8(normalized, i, cp);
    if (n == 0) return std::nullopt;
    if (cp == '\n' && keep_newlines) {
      out.push_back('\n');
    } else if (cp == '\n' || cp == '\t' || cp == '\r') {
      out.push_back(' ');
    } else if (!is_control(cp)) {
      out.append(normalized, i, n);
    }
    i += n;
  }
  // Trim leading/trailing whitespace (ASCII space, ideographic space, NBSP, newline).
  size_t b = 0, e = out.size();
  while (b < e) {
    size_t n = decode_utf8(out, b, cp);
    if (!(is_space(cp) || cp == '\n')) break;
    b += n;
  }
  while (e > b) {
    size_t k = e - 1;
    while (k > b && (static_cast<unsigned char>(out[k]) & 0xC0) == 0x80) --k;
    decode_utf8(out, k, cp);
    if (!(is_space(cp) || cp == '\n')) break;
    e = k;
  }
  return out.substr(b, e - b);
}

}  // namespace forumcast
