// core/text.hpp: UTF-8 text rules shared by every module. Limits count Unicode
// code points ("characters"), never bytes. Normalisation to NFC uses ICU inside
// text.cpp; no ICU header leaks out of here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace forumcast {

bool is_valid_utf8(std::string_view s);
// Decodes the code point starting at s[i] into cp; returns its length in bytes, or 0
// if it is malformed (truncated, overlong, a surrogate or above U+10FFFF).
size_t decode_utf8(std::string_view s, size_t i, char32_t& cp);
// Number of code points; s must be valid UTF-8.
size_t count_chars(std::string_view s);
// NFC-normalise, drop control characters (C0/C1 except none; newlines become
// spaces when keep_newlines is false), and trim surrounding whitespace.
// Returns nullopt if s is not valid UTF-8.
std::optional<std::string> clean_text(std::string_view s, bool keep_newlines = false);

}  // namespace forumcast
