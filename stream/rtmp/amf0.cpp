// stream/rtmp/amf0.cpp: AMF0 decoder and encoder (Adobe AMF0 spec, section 2).
// The decoder is a bounded recursive descent over a string_view: every read
// checks the remaining length first, depth and element counts are capped, so a
// truncated or hostile command can only produce an Error.
#include "stream/rtmp/amf0.hpp"

#include <bit>
#include <cstring>

namespace forumcast::stream::rtmp {
namespace {

enum Marker : uint8_t {
  kNumber = 0x00,
  kBoolean = 0x01,
  kString = 0x02,
  kObject = 0x03,
  kMovieClip = 0x04,
  kNull = 0x05,
  kUndefined = 0x06,
  kReference = 0x07,
  kEcmaArray = 0x08,
  kObjectEnd = 0x09,
  kStrictArray = 0x0A,
  kDate = 0x0B,
  kLongString = 0x0C,
};

struct Reader {
  std::string_view in;
  size_t pos = 0;
  int elements = 0;
  Amf0Limits limits;
  const char* fail = nullptr;

  bool need(size_t n) {
    if (in.size() - pos < n) {
      fail = "truncated";
      return false;
    }
    return true;
  }
  uint32_t be(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(in[pos++]);
    return v;
  }
  bool read_double(double& d) {
    if (!need(8)) return false;
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<uint8_t>(in[pos++]);
    d = std::bit_cast<double>(bits);
    return true;
  }
  bool read_str(size_t len_bytes, std::string& s) {
    if (!need(len_bytes)) return false;
    size_t n = be(static_cast<int>(len_bytes));
    if (!need(n)) return false;
    s.assign(in.substr(pos, n));
    pos += n;
    return true;
  }
  // key/value pairs until the empty key + object-end marker
  bool read_props(std::vector<std::pair<std::string, Amf0Value>>& props, int depth) {
    for (;;) {
      std::string key;
      if (!read_str(2, key)) return false;
      if (key.empty()) {
        if (!need(1)) return false;
        if (static_cast<uint8_t>(in[pos]) == kObjectEnd) {
          ++pos;
          return true;
        }
      }
      Amf0Value v;
      if (!read_value(v, depth + 1)) return false;
      props.emplace_back(std::move(key), std::move(v));
    }
  }
  bool read_value(Amf0Value& v, int depth) {
    if (depth > limits.max_depth) {
      fail = "nested too deep";
      return false;
    }
    if (++elements > limits.max_elements) {
      fail = "too many elements";
      return false;
    }
    if (!need(1)) return false;
    uint8_t marker = static_cast<uint8_t>(in[pos++]);
    switch (marker) {
      case kNumber:
        v.type = Amf0Value::Type::number;
        return read_double(v.number);
      case kBoolean:
        if (!need(1)) return false;
        v.type = Amf0Value::Type::boolean;
        v.boolean = in[pos++] != 0;
        return true;
      case kString:
        v.type = Amf0Value::Type::string;
        return read_str(2, v.string);
      case kLongString:
        v.type = Amf0Value::Type::string;
        return read_str(4, v.string);
      case kObject:
        v.type = Amf0Value::Type::object;
        return read_props(v.props, depth);
      case kEcmaArray:
        if (!need(4)) return false;
        be(4);  // the count is a hint only; the end marker is authoritative
        v.type = Amf0Value::Type::ecma_array;
        return read_props(v.props, depth);
      case kStrictArray: {
        if (!need(4)) return false;
        uint32_t n = be(4);
        // each item takes at least one byte: a count beyond the input is a lie
        if (n > in.size() - pos) {
          fail = "array count beyond input";
          return false;
        }
        v.type = Amf0Value::Type::strict_array;
        for (uint32_t i = 0; i < n; ++i) {
          Amf0Value item;
          if (!read_value(item, depth + 1)) return false;
          v.items.push_back(std::move(item));
        }
        return true;
      }
      case kDate:
        v.type = Amf0Value::Type::date;
        if (!read_double(v.number)) return false;
        if (!need(2)) return false;
        pos += 2;  // time zone, unused
        return true;
      case kNull:
        v.type = Amf0Value::Type::null;
        return true;
      case kUndefined:
        v.type = Amf0Value::Type::undefined;
        return true;
      default:
        fail = "unsupported type marker";
        return false;
    }
  }
};

void put_be(std::string& out, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void put_key(std::string& out, const std::string& s) {
  put_be(out, s.size() & 0xFFFF, 2);
  out.append(s, 0, std::min<size_t>(s.size(), 0xFFFF));
}

}  // namespace

Amf0Value Amf0Value::num(double v) {
  Amf0Value a;
  a.type = Type::number;
  a.number = v;
  return a;
}
Amf0Value Amf0Value::str(std::string v) {
  Amf0Value a;
  a.type = Type::string;
  a.string = std::move(v);
  return a;
}
Amf0Value Amf0Value::null_value() {
  return Amf0Value{};
}
Amf0Value Amf0Value::undefined_value() {
  Amf0Value a;
  a.type = Type::undefined;
  return a;
}
Amf0Value Amf0Value::obj(std::vector<std::pair<std::string, Amf0Value>> p) {
  Amf0Value a;
  a.type = Type::object;
  a.props = std::move(p);
  return a;
}
const Amf0Value* Amf0Value::get(std::string_view key) const {
  for (const auto& [k, v] : props)
    if (k == key) return &v;
  return nullptr;
}

Result<Amf0Value> amf0_decode_one(std::string_view bytes, size_t& consumed, Amf0Limits limits) {
  Reader r{bytes, 0, 0, limits, nullptr};
  Amf0Value v;
  if (!r.read_value(v, 0)) return make_error("rtmp_amf_malformed", std::string("AMF0: ") + r.fail);
  consumed = r.pos;
  return v;
}

Result<std::vector<Amf0Value>> amf0_decode(std::string_view bytes, Amf0Limits limits) {
  Reader r{bytes, 0, 0, limits, nullptr};
  std::vector<Amf0Value> out;
  while (r.pos < bytes.size()) {
    Amf0Value v;
    if (!r.read_value(v, 0))
      return make_error("rtmp_amf_malformed", std::string("AMF0: ") + r.fail);
    out.push_back(std::move(v));
  }
  return out;
}

void amf0_encode(const Amf0Value& v, std::string& out) {
  using T = Amf0Value::Type;
  switch (v.type) {
    case T::number:
    case T::date:
      out.push_back(v.type == T::number ? kNumber : kDate);
      put_be(out, std::bit_cast<uint64_t>(v.number), 8);
      if (v.type == T::date) put_be(out, 0, 2);
      return;
    case T::boolean:
      out.push_back(kBoolean);
      out.push_back(v.boolean ? 1 : 0);
      return;
    case T::string:
      if (v.string.size() > 0xFFFF) {
        out.push_back(kLongString);
        put_be(out, v.string.size(), 4);
      } else {
        out.push_back(kString);
        put_be(out, v.string.size(), 2);
      }
      out += v.string;
      return;
    case T::object:
    case T::ecma_array:
      out.push_back(v.type == T::object ? kObject : kEcmaArray);
      if (v.type == T::ecma_array) put_be(out, v.props.size(), 4);
      for (const auto& [k, p] : v.props) {
        put_key(out, k);
        amf0_encode(p, out);
      }
      put_be(out, 0, 2);
      out.push_back(kObjectEnd);
      return;
    case T::strict_array:
      out.push_back(kStrictArray);
      put_be(out, v.items.size(), 4);
      for (const auto& i : v.items) amf0_encode(i, out);
      return;
    case T::null:
      out.push_back(kNull);
      return;
    case T::undefined:
      out.push_back(kUndefined);
      return;
  }
}

std::string amf0_encode_all(const std::vector<Amf0Value>& values) {
  std::string out;
  for (const auto& v : values) amf0_encode(v, out);
  return out;
}

}  // namespace forumcast::stream::rtmp
