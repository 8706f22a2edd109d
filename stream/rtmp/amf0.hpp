// stream/rtmp/amf0.hpp: AMF0 (Adobe Action Message Format 0) values as RTMP
// commands carry them: decode with hard bounds (nesting depth, element count,
// string length all limited by the input and by Amf0Limits), encode the few
// shapes the RTMP front answers with. No I/O, no libav: tested on hostile bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace forumcast::stream::rtmp {

struct Amf0Value {
  enum class Type {
    number,
    boolean,
    string,
    object,
    null,
    undefined,
    ecma_array,
    strict_array,
    date
  };
  Type type = Type::null;
  double number = 0;  // number, date
  bool boolean = false;
  std::string string;                                    // string (also long string)
  std::vector<std::pair<std::string, Amf0Value>> props;  // object, ecma_array
  std::vector<Amf0Value> items;                          // strict_array

  static Amf0Value num(double v);
  static Amf0Value str(std::string v);
  static Amf0Value null_value();
  static Amf0Value undefined_value();
  static Amf0Value obj(std::vector<std::pair<std::string, Amf0Value>> p);
  // A property of an object / ECMA array, or nullptr.
  const Amf0Value* get(std::string_view key) const;
};

struct Amf0Limits {
  int max_depth = 8;        // nested objects/arrays
  int max_elements = 1024;  // values in the whole message
};

// Decodes every value in `bytes` (a command message body). Any truncation,
// unknown type marker or bound crossed yields Error{"rtmp_amf_malformed", ...}.
Result<std::vector<Amf0Value>> amf0_decode(std::string_view bytes, Amf0Limits limits = {});
// Decodes the first value only; `consumed` gets its encoded length.
Result<Amf0Value> amf0_decode_one(std::string_view bytes, size_t& consumed, Amf0Limits limits = {});

void amf0_encode(const Amf0Value& v, std::string& out);
std::string amf0_encode_all(const std::vector<Amf0Value>& values);

}  // namespace forumcast::stream::rtmp
