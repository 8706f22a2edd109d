// followup/json_out.hpp: a small streaming JSON emitter (RFC 8259) for the
// transcript writer: appends straight to one std::string with 2-space
// indentation, no intermediate tree, so a 10,000-question forum exports in tens
// of milliseconds and its memory is the output itself. Strings are escaped
// (quote, backslash, control characters) and invalid UTF-8 is replaced with
// U+FFFD. Doubles use the shortest round-trip form. Internal to followup/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forumcast::followup::detail {

class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}

  JsonOut& begin_object();
  JsonOut& end_object();
  JsonOut& begin_array();
  JsonOut& end_array();
  JsonOut& key(std::string_view k);  // the next value belongs to this key

  JsonOut& str(std::string_view s);
  JsonOut& num(int64_t v);
  JsonOut& num(double v);
  JsonOut& boolean(bool v);
  JsonOut& null();
  // Empty string -> null.
  JsonOut& str_or_null(std::string_view s) { return s.empty() ? null() : str(s); }
  JsonOut& num_or_null(const std::optional<int64_t>& v) { return v ? num(*v) : null(); }
  JsonOut& num_or_null(const std::optional<double>& v) { return v ? num(*v) : null(); }

  // key + value shorthands
  JsonOut& field(std::string_view k, std::string_view v) { return key(k).str(v); }
  JsonOut& field(std::string_view k, const char* v) { return key(k).str(v); }
  JsonOut& field(std::string_view k, int64_t v) { return key(k).num(v); }
  JsonOut& field(std::string_view k, int v) { return key(k).num(int64_t{v}); }
  JsonOut& field(std::string_view k, bool v) { return key(k).boolean(v); }

  static void escape(std::string& out, std::string_view s);

 private:
  void before_value();
  void newline();

  std::string& out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace forumcast::followup::detail
